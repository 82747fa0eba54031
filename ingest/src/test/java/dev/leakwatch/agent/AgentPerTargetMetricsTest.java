package dev.leakwatch.agent;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.agent.testing.Http;
import dev.leakwatch.agent.testing.TestConfigs;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code http.perTargetMetrics} decides whether {@code /metrics} names targets. */
class AgentPerTargetMetricsTest {

  @TempDir Path dir;

  private static String metricsAfterAFailedRound(boolean perTarget, Path dir) {
    // nothing listens on port 1: every round fails at once
    String yaml = TestConfigs.kafka(TestConfigs.unreachableBootstrap())
        + "http:\n  port: 0\n  perTargetMetrics: " + perTarget + "\n"
        + "scrape:\n  interval: 200ms\n  jitter: 0\n"
        + "targets:\n  - service: orders\n    instance: orders-1\n    url: http://127.0.0.1:1\n";
    try (Agent agent = Agent.start(TestConfigs.parse(yaml, dir))) {
      Http http = new Http(agent.httpPort());
      await().atMost(Duration.ofSeconds(30))
          .until(() -> http.get("/metrics").body().contains("leakwatch_agent_targets_failing 1.0"));
      return http.get("/metrics").body();
    }
  }

  @Test
  void shouldLabelScrapeSeriesWithTheTargetByDefault() {
    String metrics = metricsAfterAFailedRound(true, dir);
    assertTrue(metrics.contains("instance=\"orders-1\""), metrics);
  }

  @Test
  void shouldSumScrapeSeriesOverTargetsWhenPerTargetMetricsAreOff() {
    String metrics = metricsAfterAFailedRound(false, dir);
    assertTrue(metrics.contains("leakwatch_agent_scrape_failures_total{"), metrics);
    assertFalse(metrics.contains("orders-1"), metrics);
  }
}
