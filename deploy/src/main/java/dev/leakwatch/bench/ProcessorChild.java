package dev.leakwatch.bench;

import dev.leakwatch.local.ChildJvm;
import dev.leakwatch.local.ParentWatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stream processor as a separate JVM, exactly as {@code ./leakwatch processor --config FILE}
 * runs it, so that its CPU time, resident memory and heap are its own. The heap is read from the
 * JVM's GC log ({@code -Xlog:gc}): the largest heap occupancy right after a collection, i.e. what
 * the live objects needed at the worst moment. If this JVM dies, the child exits too ({@link
 * ParentWatch}).
 */
final class ProcessorChild implements AutoCloseable {

  private static final Pattern AFTER_GC = Pattern.compile("->(\\d+)M\\(");

  private final Process process;
  private final Path gcLog;
  private final Path log;

  private ProcessorChild(Process process, Path gcLog, Path log) {
    this.process = process;
    this.gcLog = gcLog;
    this.log = log;
  }

  /**
   * @param dir where the child writes its GC log and output
   * @param maxHeap the child's {@code -Xmx}, e.g. {@code 1g}
   * @param javaOptions more JVM options (e.g. to profile it), may be empty
   * @param mainAndArgs the processor's main class and arguments (the CLI's, from the command layer)
   */
  static ProcessorChild start(Path dir, String maxHeap, List<String> javaOptions, List<String> mainAndArgs) {
    Path gcLog = dir.resolve("processor-gc.log");
    Path log = dir.resolve("processor.log");
    List<String> jvm = new ArrayList<>(List.of("-Xmx" + maxHeap, "-Xlog:gc:file=" + gcLog,
        "-Dorg.slf4j.simpleLogger.log.org.apache.kafka=warn"));
    jvm.addAll(javaOptions);
    try {
      // ParentWatch runs the real main class, its first argument.
      Process p = new ProcessBuilder(ChildJvm.command(jvm, ParentWatch.class.getName(), mainAndArgs))
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      return new ProcessorChild(p, gcLog, log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the processor JVM", e);
    }
  }

  long pid() {
    return process.pid();
  }

  /** @throws IllegalStateException when the child has exited (with the tail of its output) */
  void check() {
    if (!process.isAlive()) {
      throw new IllegalStateException("the processor exited with code " + process.exitValue() + "; see " + log
          + ", which ends:\n" + tail(log, 20));
    }
  }

  /** CPU time the child used so far, ns. */
  long cpuNanos() {
    return process.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
  }

  /** Peak resident set size, bytes ({@code VmHWM}); -1 when unknown. */
  long peakRssBytes() {
    return ProcessStats.peakRssBytes(process.pid());
  }

  /** The largest heap occupancy after a collection so far, bytes; -1 before the first collection. */
  long maxHeapAfterGcBytes() {
    try {
      long max = -1;
      for (String line : Files.readAllLines(gcLog)) {
        Matcher m = AFTER_GC.matcher(line);
        if (m.find()) {
          max = Math.max(max, Long.parseLong(m.group(1)) << 20);
        }
      }
      return max;
    } catch (IOException e) {
      return -1;
    }
  }

  /** Stops the processor cleanly (SIGTERM: it commits and leaves the group), forcibly after 30 s. */
  @Override
  public void close() {
    ChildJvm.stop(process, Duration.ofSeconds(30));
  }

  private static String tail(Path file, int lines) {
    try {
      List<String> all = java.nio.file.Files.readAllLines(file);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }
}
