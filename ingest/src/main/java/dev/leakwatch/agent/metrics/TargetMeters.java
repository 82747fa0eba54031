package dev.leakwatch.agent.metrics;

import dev.leakwatch.agent.model.ProfileKind;
import dev.leakwatch.agent.model.TargetId;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scrape meters of one target (see {@link AgentMetrics} for names and tags). After {@link
 * #remove()} recording is a no-op: a round still in flight when its target goes away must not
 * register the target's series again.
 */
public final class TargetMeters {
  private final MeterRegistry registry;
  private final TargetId id;
  private final Tags tags;
  private final AtomicInteger consecutiveFailures = new AtomicInteger();
  /** Guarded by this; recording checks it under the same lock as remove() sets it. */
  private boolean removed;

  TargetMeters(MeterRegistry registry, TargetId id) {
    this.registry = registry;
    this.id = id;
    this.tags = Tags.of("service", id.service(), "instance", id.instance());
    Gauge.builder("leakwatch.agent.target.consecutive.failures", consecutiveFailures, AtomicInteger::get)
        .tags(tags)
        .description("failed scrape rounds in a row (0 when healthy)")
        .register(registry);
  }

  /** A profile was fetched, checked and handed to the buffer. */
  public synchronized void scrapeOk(ProfileKind kind, long bytes) {
    if (removed) {
      return;
    }
    registry.counter("leakwatch.agent.scrapes", tags.and("profile", kind.endpoint(), "outcome", "ok"))
        .increment();
    registry.counter("leakwatch.agent.scraped.bytes", tags.and("profile", kind.endpoint()))
        .increment(bytes);
  }

  /** A profile could not be fetched or was rejected; {@code reason} is a short stable code. */
  public synchronized void scrapeFailed(ProfileKind kind, String reason) {
    if (removed) {
      return;
    }
    registry.counter(
            "leakwatch.agent.scrapes", tags.and("profile", kind.endpoint(), "outcome", "failed"))
        .increment();
    registry.counter(
            "leakwatch.agent.scrape.failures", tags.and("profile", kind.endpoint(), "reason", reason))
        .increment();
  }

  public void consecutiveFailures(int n) {
    consecutiveFailures.set(n);
  }

  /**
   * Unregisters every meter of this target and stops recording. Call it before another {@code
   * TargetMeters} of the same target registers: it removes by target, and a gauge registered again
   * under the same id would stay bound to the old state.
   */
  public synchronized void remove() {
    removed = true;
    for (Meter m : AgentMetrics.metersOf(registry, id)) {
      registry.remove(m);
    }
  }
}
