package dev.leakwatch.agent;

import static org.awaitility.Awaitility.await;

import dev.leakwatch.agent.testing.AgentBaseline;
import dev.leakwatch.agent.testing.FixtureTarget;
import dev.leakwatch.agent.testing.Http;
import dev.leakwatch.agent.testing.TestConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
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
                  AgentBaseline.churnConfig(MAX_CONCURRENT)
                      + "discovery:\n  files: [fleet.yaml]\n  refreshInterval: 50ms\n  settleDelay: 10ms\n",
                  dir))) {
        Http http = new Http(agent.httpPort());
        await().until(() -> agent.buffer().accepted() > 0);
        apply(agent, "# no targets\n", 1); // the first target removed
        AgentBaseline baseline = AgentBaseline.of(agent);

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

        baseline.awaitReturned(agent, http, "pod-", MAX_CONCURRENT);
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
}
