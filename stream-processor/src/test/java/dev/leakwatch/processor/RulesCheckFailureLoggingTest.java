package dev.leakwatch.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.detect.DetectionPolicy;
import dev.leakwatch.http.ProcessorMetrics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A check of the rules file that throws (a bug) does so at every check, every
 * {@code detection.reloadInterval} (30 s) for as long as the processor runs: its trace is logged
 * once, the same failure again counted (one line a minute, the rest at close). The file is read
 * through a zip file system closed under it, whose every read throws {@code
 * ClosedFileSystemException}: an unchecked exception from the check, as a bug's would be.
 */
class RulesCheckFailureLoggingTest {
  private static final int CHECKS = 100;

  @TempDir Path dir;

  @Test
  void shouldLogTheTraceOnceAndCountTheRepeatsWhenEveryCheckThrows() throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    FileSystem zip = FileSystems.newFileSystem(dir.resolve("config.zip"), Map.of("create", "true"));
    Path file = zip.getPath("processor.yaml");
    Files.writeString(file, RulesWatchTest.START);
    ProcessorConfig config = ProcessorConfig.load(file);
    DetectionPolicy atStart = config.topology().livePolicy().get();
    zip.close();
    PrintStream stderr = System.err; // where slf4j-simple writes
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    try (ProcessorMetrics metrics = new ProcessorMetrics()) {
      RulesWatch watch = new RulesWatch(config.rules(), config.topology().livePolicy(), metrics);
      try {
        for (int i = 0; i < CHECKS; i++) {
          assertEquals(config.rules().interval(), watch.check(), "checking goes on at the interval");
        }
      } finally {
        watch.close();
      }
    } finally {
      System.setErr(stderr);
    }

    assertSame(atStart, config.topology().livePolicy().get(), "the running rules keep judging");
    List<String> lines = log.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals(1, lines.stream().filter(l -> l.startsWith("\tat ")
        && l.contains("ZipFileSystem.ensureOpen")).count(), "one trace: " + lines.size() + " lines");
    List<String> counts = lines.stream().filter(l -> l.contains("more times")).toList();
    assertEquals(1, counts.size(), "the repeats in one line at close: " + counts);
    assertTrue(counts.get(0).contains("failed " + (CHECKS - 1) + " more times: "
        + "java.nio.file.ClosedFileSystemException at "), counts.get(0));
    // one trace is about 90 lines: the whole log is that trace and a few lines, not a trace per check
    assertTrue(lines.size() < 200, "bounded: " + lines.size() + " lines");
  }
}
