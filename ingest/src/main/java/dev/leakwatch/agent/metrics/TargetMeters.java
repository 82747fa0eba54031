package dev.leakwatch.agent.metrics;

import dev.leakwatch.agent.model.ProfileKind;
import dev.leakwatch.agent.model.TargetId;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scrape meters of one target (see {@link AgentMetrics} for names and tags). After {@link
 * #remove()} recording is a no-op: a round still in flight when its target goes away must not
 * register the target's series again.
 *
 * <p>It keeps the meters it registered and {@link #remove()} unregisters exactly those: with tens
 * of thousands of targets the registry holds hundreds of thousands of meters, and searching it
 * for each removed target made a reload that removes many targets quadratic (minutes, on the
 * thread that also starts every scrape round). Without per-target series the counters are shared by
 * every target (the same name and tags) and stay when a target goes away.
 */
public final class TargetMeters {
  private final MeterRegistry registry;
  private final Tags tags;
  private final boolean perTarget;
  private final AtomicInteger failingTargets;
  private final AtomicInteger consecutiveFailures = new AtomicInteger();
  /** Guarded by this: the counters recorded into for this target, by name and extra tags. */
  private final Map<List<String>, Counter> counters = new HashMap<>();

  private final Gauge gauge;
  /** Guarded by this; recording checks it under the same lock as remove() sets it. */
  private boolean removed;

  /**
   * @param perTarget whether the meters carry the target's {@code service} and {@code instance}
   * @param failingTargets the agent's count of targets whose latest round failed, kept by this
   */
  TargetMeters(MeterRegistry registry, TargetId id, boolean perTarget, AtomicInteger failingTargets) {
    this.registry = registry;
    this.perTarget = perTarget;
    this.failingTargets = failingTargets;
    this.tags = perTarget ? Tags.of("service", id.service(), "instance", id.instance()) : Tags.empty();
    this.gauge = !perTarget ? null
        : Gauge.builder("leakwatch.agent.target.consecutive.failures", consecutiveFailures, AtomicInteger::get)
            .tags(tags)
            .description("failed scrape rounds in a row (0 when healthy)")
            .register(registry);
  }

  /** A profile was fetched, checked and handed to the buffer. */
  public synchronized void scrapeOk(ProfileKind kind, long bytes) {
    if (removed) {
      return;
    }
    counter("leakwatch.agent.scrapes", "profile", kind.endpoint(), "outcome", "ok").increment();
    counter("leakwatch.agent.scraped.bytes", "profile", kind.endpoint()).increment(bytes);
  }

  /** A profile could not be fetched or was rejected; {@code reason} is a short stable code. */
  public synchronized void scrapeFailed(ProfileKind kind, String reason) {
    if (removed) {
      return;
    }
    counter("leakwatch.agent.scrapes", "profile", kind.endpoint(), "outcome", "failed").increment();
    counter("leakwatch.agent.scrape.failures", "profile", kind.endpoint(), "reason", reason)
        .increment();
  }

  /** Failed rounds in a row, after each round (0 when the round succeeded). */
  public synchronized void consecutiveFailures(int n) {
    if (removed) {
      return;
    }
    int before = consecutiveFailures.getAndSet(n);
    if (before == 0 && n > 0) {
      failingTargets.incrementAndGet();
    } else if (before > 0 && n == 0) {
      failingTargets.decrementAndGet();
    }
  }

  /**
   * Unregisters every meter of this target and stops recording, at a cost proportional to this
   * target's meters only. Call it before another {@code TargetMeters} of the same target
   * registers: a gauge registered again under the same id would stay bound to the old state.
   */
  public synchronized void remove() {
    if (removed) {
      return;
    }
    removed = true;
    if (consecutiveFailures.get() > 0) {
      failingTargets.decrementAndGet();
    }
    List<Meter> mine = new ArrayList<>(counters.values());
    counters.clear();
    if (!perTarget) {
      return; // shared with every other target
    }
    mine.add(gauge);
    for (Meter m : mine) {
      registry.remove(m);
    }
  }

  /** The counter {@code name} of this target with {@code extra} tags (key, value, ...). */
  private Counter counter(String name, String... extra) {
    List<String> key = new ArrayList<>(extra.length + 1);
    key.add(name);
    key.addAll(List.of(extra));
    return counters.computeIfAbsent(key, k -> registry.counter(name, tags.and(extra)));
  }
}
