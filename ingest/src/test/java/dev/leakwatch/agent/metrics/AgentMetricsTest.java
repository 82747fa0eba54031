package dev.leakwatch.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
