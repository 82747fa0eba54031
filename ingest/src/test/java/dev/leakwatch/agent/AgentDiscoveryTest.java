package dev.leakwatch.agent;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leakwatch.agent.testing.FixtureTarget;
import dev.leakwatch.agent.testing.Http;
import dev.leakwatch.agent.testing.TestConfigs;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Discovery runs beside the scrapes, not in their way. A target file whose read does not return
 * (here a named pipe nobody writes to yet, as a hung network file system would behave) must not
 * stop the rounds of the targets already running; its content is applied once it can be read; and
 * stopping the agent ends discovery's thread.
 */
class AgentDiscoveryTest {
  private static final String DISCOVERY_THREAD = "leakwatch-discovery";
  /** A round of a {@link FixtureTarget} hands over heap, goroutine and allocs. */
  private static final int PROFILES_PER_ROUND = 3;

  @TempDir Path dir;

  @Test
  void shouldKeepScrapingRunningTargetsWhileReadingATargetFileBlocks() throws Exception {
    Path fleet = dir.resolve("fleet.yaml");
    Path pipe = dir.resolve("fleet.pipe");
    assumeTrue(mkfifo(pipe), "mkfifo is not available");
    Files.writeString(fleet, "");
    try (FixtureTarget running = new FixtureTarget();
        FixtureTarget added = new FixtureTarget();
        Agent agent =
            Agent.start(
                TestConfigs.parse(
                    TestConfigs.kafka(TestConfigs.unreachableBootstrap())
                        // rounds that time out while the JVM warms up retry at the interval
                        + "scrape:\n  interval: 500ms\n  backoffMax: 500ms\n"
                        + "targets:\n  - service: running\n    url: http://127.0.0.1:"
                        + running.port() + "\n"
                        + "discovery:\n  files: [fleet.yaml]\n  refreshInterval: 100ms\n",
                    dir))) {
      String content = "- service: added\n  url: http://127.0.0.1:" + added.port() + "\n";
      // the pipe stays reachable under its own name after it has replaced fleet.yaml
      Files.move(pipe, fleet, StandardCopyOption.REPLACE_EXISTING);
      Files.createLink(pipe, fleet);
      // opening the write end returns once discovery has opened the read end; from then on its
      // read waits for bytes that only this test can write
      CompletableFuture<FileOutputStream> writer =
          CompletableFuture.supplyAsync(() -> openForWriting(fleet));
      try {
        await().until(writer::isDone);
        long before = agent.buffer().accepted();

        await().until(() -> agent.buffer().accepted() >= before + 2 * PROFILES_PER_ROUND);
        assertFalse(targets(agent).contains("added"), "the blocked read has applied nothing");

        writer.join().write(content.getBytes(StandardCharsets.UTF_8));
      } finally {
        writer.thenAccept(AgentDiscoveryTest::closeQuietly); // the read sees the end of the file
        replacePipeWithFile(pipe, fleet, content);
      }
      await().until(() -> targets(agent).contains("added"));
    }
    await().until(() -> threadNamed(DISCOVERY_THREAD).isEmpty());
  }

  /**
   * Puts a regular file with {@code content} where the pipe was, and hands {@code content} to a
   * read that had already opened the pipe, so that no read stays blocked.
   */
  private static void replacePipeWithFile(Path pipe, Path fleet, String content) throws IOException {
    Path tmp = fleet.resolveSibling("fleet.yaml.tmp");
    Files.writeString(tmp, content);
    Files.move(tmp, fleet, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    // read-write does not wait for a reader (Linux); a reader waiting in open() is released by it
    try (RandomAccessFile end = new RandomAccessFile(pipe.toFile(), "rw")) {
      end.write(content.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static void closeQuietly(FileOutputStream out) {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static FileOutputStream openForWriting(Path p) {
    try {
      return new FileOutputStream(p.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean mkfifo(Path p) throws InterruptedException {
    try {
      return new ProcessBuilder("mkfifo", p.toString()).inheritIO().start().waitFor() == 0;
    } catch (IOException e) {
      return false;
    }
  }

  private static Set<Thread> threadNamed(String name) {
    Set<Thread> out = new HashSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.isAlive() && t.getName().equals(name)) {
        out.add(t);
      }
    }
    return out;
  }

  private static Set<String> targets(Agent agent) throws IOException {
    JsonNode list = new ObjectMapper().readTree(new Http(agent.httpPort()).get("/targets").body());
    Set<String> out = new TreeSet<>();
    for (JsonNode t : list) {
      out.add(t.path("service").asText());
    }
    return out;
  }
}
