package dev.leakwatch.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.agent.model.ProfileKind;
import dev.leakwatch.agent.model.TargetId;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The agent's meters as a Prometheus alert on "any increase" needs them. */
class AgentMetricsTest {

  private static double failures(SimpleMeterRegistry registry, String reason) {
    return registry.find("leakwatch.agent.publish.failures").tag("reason", reason).counter().count();
  }

  @Test
  void shouldExportEveryPublishFailureReasonAtZeroBeforeTheFirstFailure() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new AgentMetrics(registry);

    List<String> exported = registry.find("leakwatch.agent.publish.failures").counters().stream()
        .map(c -> c.getId().getTag("reason")).sorted().collect(Collectors.toList());
    assertEquals(AgentMetrics.PUBLISH_FAILURE_REASONS.stream().sorted().toList(), exported);
    for (Counter c : registry.find("leakwatch.agent.publish.failures").counters()) {
      assertEquals(0.0, c.count(), c.getId().toString());
    }
  }

  @Test
  void shouldCountAnUnknownReasonAsOtherSoTheLabelStaysBounded() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AgentMetrics metrics = new AgentMetrics(registry);

    metrics.publishFailed("record_too_large");
    metrics.publishFailed("SomeNewKafkaException");

    assertEquals(1.0, failures(registry, "record_too_large"));
    assertEquals(1.0, failures(registry, "other"));
    assertEquals(AgentMetrics.PUBLISH_FAILURE_REASONS.size(),
        registry.find("leakwatch.agent.publish.failures").counters().size());
  }

  @Test
  void shouldSumScrapesOverTargetsWithoutTheirLabelsWhenPerTargetSeriesAreOff() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AgentMetrics metrics = new AgentMetrics(registry, false);
    TargetMeters a = metrics.forTarget(new TargetId("orders", "orders-1"));
    TargetMeters b = metrics.forTarget(new TargetId("orders", "orders-2"));

    a.scrapeOk(ProfileKind.HEAP, 100);
    b.scrapeOk(ProfileKind.HEAP, 50);
    b.scrapeFailed(ProfileKind.GOROUTINE, "timeout");
    a.remove(); // a target going away keeps what was counted for all of them

    assertTrue(registry.getMeters().stream().noneMatch(m -> m.getId().getTag("service") != null
        || m.getId().getTag("instance") != null), "no per-target series");
    assertEquals(2.0, registry.find("leakwatch.agent.scrapes").tags("profile", "heap", "outcome", "ok").counter().count());
    assertEquals(150.0, registry.find("leakwatch.agent.scraped.bytes").tag("profile", "heap").counter().count());
    assertEquals(1.0, registry.find("leakwatch.agent.scrape.failures").tags("profile", "goroutine", "reason", "timeout")
        .counter().count());
  }

  @Test
  void shouldCountTheTargetsWhoseLatestRoundFailed() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AgentMetrics metrics = new AgentMetrics(registry);
    TargetMeters a = metrics.forTarget(new TargetId("orders", "orders-1"));
    TargetMeters b = metrics.forTarget(new TargetId("orders", "orders-2"));
    TargetMeters c = metrics.forTarget(new TargetId("orders", "orders-3"));

    a.consecutiveFailures(1);
    a.consecutiveFailures(2);
    b.consecutiveFailures(1);
    c.consecutiveFailures(0);
    assertEquals(2.0, failing(registry));

    a.consecutiveFailures(0); // recovered
    b.remove(); // gone while failing
    b.consecutiveFailures(3); // a round that ends after the removal changes nothing
    assertEquals(0.0, failing(registry));
  }

  private static double failing(SimpleMeterRegistry registry) {
    return registry.find("leakwatch.agent.targets.failing").gauge().value();
  }
}
