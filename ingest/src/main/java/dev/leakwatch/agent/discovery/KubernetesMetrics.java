package dev.leakwatch.agent.discovery;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.function.Supplier;

/**
 * Kubernetes discovery's meters (Micrometer names; Prometheus adds {@code _total} to counters):
 *
 * <ul>
 *   <li>{@code leakwatch.agent.kubernetes.pods{state}} (gauge): opted-in pods by state, {@code
 *       scraped} (a target of this agent), {@code other_shard} (a target of another shard), {@code
 *       skipped} (refused for a reason, or a duplicate), {@code waiting} (not running, no IP yet, or
 *       terminating)
 *   <li>{@code leakwatch.agent.kubernetes.skips{reason}}: pods skipped, counted once per pod and
 *       reason (when it is logged)
 *   <li>{@code leakwatch.agent.kubernetes.watch.restarts{reason}}: {@code ended} (the server closed
 *       the stream; resumed from the last resourceVersion), {@code expired} (410 Gone: relisted)
 *   <li>{@code leakwatch.agent.kubernetes.errors{reason}}: failed requests, {@code unauthorized}
 *       (401), {@code forbidden} (403), {@code unreachable} (no answer, broken stream, a watch
 *       ended within 1 s with no event), {@code
 *       stalled} (a watch stream silent past {@code timeoutSeconds} + 60 s, aborted; resumed from
 *       the last resourceVersion; or a list page silent for 30 s mid-body, listed again), {@code http} (any other status, or an unexpected failure); each
 *       is retried after a capped backoff
 * </ul>
 *
 * Every counter series is exported at 0 from the start, so that the first one shows as an
 * increase.
 */
final class KubernetesMetrics {
  static final String SKIPS = "leakwatch.agent.kubernetes.skips";
  static final String RESTARTS = "leakwatch.agent.kubernetes.watch.restarts";
  static final String ERRORS = "leakwatch.agent.kubernetes.errors";
  static final List<String> ERROR_REASONS =
      List.of("unauthorized", "forbidden", "unreachable", "stalled", "http");

  private final MeterRegistry registry;

  KubernetesMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (PodOutcome.SkipReason r : PodOutcome.SkipReason.values()) {
      registry.counter(SKIPS, "reason", r.tag());
    }
    for (String r : List.of("ended", "expired")) {
      registry.counter(RESTARTS, "reason", r);
    }
    ERROR_REASONS.forEach(r -> registry.counter(ERRORS, "reason", r));
  }

  void bindPods(String state, Supplier<Number> count) {
    Gauge.builder("leakwatch.agent.kubernetes.pods", count).tag("state", state).register(registry);
  }

  void skipped(PodOutcome.SkipReason reason) {
    registry.counter(SKIPS, "reason", reason.tag()).increment();
  }

  void restarted(String reason) {
    registry.counter(RESTARTS, "reason", reason).increment();
  }

  /** Counts a failed request by its HTTP status (0: no answer), or as stalled. */
  void failed(int status, boolean stalled) {
    String reason = stalled ? "stalled" : switch (status) {
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 0 -> "unreachable";
      default -> "http";
    };
    registry.counter(ERRORS, "reason", reason).increment();
  }
}
