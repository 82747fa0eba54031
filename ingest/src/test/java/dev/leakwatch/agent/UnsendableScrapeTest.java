package dev.leakwatch.agent;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.agent.testing.FixtureTarget;
import dev.leakwatch.agent.testing.Http;
import dev.leakwatch.agent.testing.TestConfigs;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scrape request the JDK's HTTP client refuses to build throws at once instead of failing its
 * future. Here the trigger is an {@code agent.id} outside Latin-1, which the client refuses in the
 * {@code User-Agent} header: the target's rounds must count and name the failure, not pass as
 * rounds that scraped nothing and failed nothing.
 */
class UnsendableScrapeTest {

  @TempDir Path dir;

  @Test
  void shouldCountTheTargetAsFailingWhenTheRequestCannotBeBuilt() throws Exception {
    try (FixtureTarget go = new FixtureTarget()) {
      String yaml = TestConfigs.kafka(TestConfigs.unreachableBootstrap())
          + "agent:\n  id: узел-1\n  shutdownGrace: 0s\n"
          + "scrape:\n  interval: 200ms\n  jitter: 0\n  profiles: [heap]\n"
          + "targets:\n  - service: orders\n    instance: orders-1\n    url: http://127.0.0.1:" + go.port() + "\n";
      try (Agent agent = Agent.start(TestConfigs.parse(yaml, dir))) {
        Http http = new Http(agent.httpPort());
        await().atMost(Duration.ofSeconds(30))
            .until(() -> http.get("/metrics").body().contains("leakwatch_agent_targets_failing 1.0"));
        String metrics = http.get("/metrics").body();
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("leakwatch_agent_scrape_failures_total{")
            && l.contains("instance=\"orders-1\"") && !l.endsWith(" 0.0")), metrics);
        assertTrue(Http.json(http.get("/targets")).get(0).get("consecutiveFailures").asInt() > 0);
      }
    }
  }
}
