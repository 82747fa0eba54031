package dev.leakwatch.agent;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.agent.testing.FixtureTarget;
import dev.leakwatch.agent.testing.Http;
import dev.leakwatch.agent.testing.TestConfigs;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * File discovery churn through a whole agent, as production wires it: a target file rewritten again
 * and again, each time adding and removing 50 of its 100 targets (half served by a Go fixture over
 * HTTP, half at a port where nothing listens), then emptied. The agent must come back to what it
 * held before: its own threads, its meters and series, its targets and their gauges, and, once the
 * kept-alive connections (at most one per concurrent scrape) are counted, its file descriptors.
 */
class AgentFileChurnTest {
  private static final int REWRITES = 40;
  private static final int TARGETS = 100;
  private static final int MAX_CONCURRENT = 8;

  @TempDir Path dir;
  private Path fleet;

  @Test
  void shouldReturnToItsBaselineWhenATargetFileIsRewrittenWithTargetsComingAndGoing() throws Exception {
    fleet = dir.resolve("fleet.yaml");
    int nowhere = TestConfigs.freePort();
    try (FixtureTarget served = new FixtureTarget()) {
      write("- service: warmup\n  url: http://127.0.0.1:" + served.port() + "\n");
      try (Agent agent =
          Agent.start(
              TestConfigs.parse(
                  TestConfigs.kafka(TestConfigs.unreachableBootstrap())
                      + "scrape:\n  interval: 1s\n  backoffMax: 1s\n  jitter: 0\n  maxConcurrent: "
                      + MAX_CONCURRENT + "\n"
                      + "discovery:\n  files: [fleet.yaml]\n  refreshInterval: 50ms\n  settleDelay: 10ms\n",
                  dir))) {
        MeterRegistry registry = agent.metrics().registry();
        Http http = new Http(agent.httpPort());
        // the baseline: one target scraped and removed, so that whatever a first scrape or change
        // starts for good (the scrape thread, a kept-alive connection) is in it
        await().until(() -> agent.buffer().accepted() > 0);
        apply(agent, "# no targets\n", 1);
        int meters = registry.getMeters().size();
        Map<String, Integer> threads = leakwatchThreads();
        int fds = openFiles();

        for (int i = 0; i < REWRITES; i++) {
          StringBuilder content = new StringBuilder();
          for (int j = i * TARGETS / 2; j < i * TARGETS / 2 + TARGETS; j++) {
            content.append("- service: churn\n  instance: pod-").append(j)
                .append("\n  url: http://127.0.0.1:").append(j % 2 == 0 ? served.port() : nowhere)
                .append("\n");
          }
          long scraped = agent.buffer().accepted();
          apply(agent, content.toString(), i + 2);
          // some of this content's targets scrape before the next rewrite removes half of them
          await().pollInterval(Duration.ofMillis(5)).until(() -> agent.buffer().accepted() > scraped);
        }
        apply(agent, "", REWRITES + 2);

        assertEquals(0, Http.json(http.get("/targets")).size());
        assertEquals(0, registry.get("leakwatch.agent.targets").gauge().value());
        // a removed target's round in flight ends on its own (at most its timeout)
        await().untilAsserted(() -> {
          assertEquals(meters, registry.getMeters().size(), "no meter of a removed target left");
          assertEquals(0, registry.get("leakwatch.agent.targets.failing").gauge().value());
          // none more than before (a thread of an earlier test's agent may end meanwhile)
          leakwatchThreads().forEach((name, n) ->
              assertTrue(n <= threads.getOrDefault(name, 0), name + ": " + n + ", before " + threads));
        });
        assertFalse(http.get("/metrics").body().contains("pod-"), "no series of a removed target");
        if (fds >= 0) {
          // each kept-alive connection to the fixture is two descriptors of this JVM (both ends)
          await().until(() -> openFiles() <= fds + 2 * MAX_CONCURRENT);
        }
      }
    }
  }

  /** Replaces the file in one step and waits until the agent has applied its {@code n}-th change. */
  private void apply(Agent agent, String content, int n) throws Exception {
    Path tmp = dir.resolve("fleet.yaml.tmp");
    Files.writeString(tmp, content);
    Files.move(tmp, fleet, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    await().pollInterval(Duration.ofMillis(5))
        .until(() -> agent.metrics().total("leakwatch.agent.discovery.reloads") >= n);
  }

  private void write(String content) throws Exception {
    Files.writeString(fleet, content);
  }

  /** The agent's own threads by name (the JDK's and Kafka's pools come and go on their own). */
  private static Map<String, Integer> leakwatchThreads() {
    Map<String, Integer> out = new TreeMap<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.isAlive() && t.getName().startsWith("leakwatch-")) {
        out.merge(t.getName(), 1, Integer::sum);
      }
    }
    return out;
  }

  /** Open file descriptors of this JVM; -1 where {@code /proc/self/fd} does not exist. */
  private static int openFiles() {
    String[] fds = new File("/proc/self/fd").list();
    return fds == null ? -1 : fds.length;
  }
}
