package dev.leakwatch.agent.metrics;

import dev.leakwatch.agent.buffer.ProfileBuffer;
import dev.leakwatch.agent.model.TargetId;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The agent's meters. Names below are Micrometer names; the Prometheus exposition turns dots into
 * underscores and appends {@code _total} to counters (e.g. {@code leakwatch_agent_scrapes_total}).
 *
 * <ul>
 *   <li>{@code leakwatch.agent.scrapes{service,instance,profile,outcome=ok|failed}}
 *   <li>{@code leakwatch.agent.scrape.failures{service,instance,profile,reason}}
 *   <li>{@code leakwatch.agent.scraped.bytes{service,instance,profile}}: profile bytes accepted
 *   <li>{@code leakwatch.agent.target.consecutive.failures{service,instance}} (gauge)
 *   <li>{@code leakwatch.agent.scrape.deferred}: rounds postponed by the concurrency bound
 *   <li>{@code leakwatch.agent.targets} (gauge), {@code leakwatch.agent.discovery.reloads{outcome=ok|failed}}:
 *       target-file changes applied, or refused; both exported at 0 from the start when the agent
 *       watches target files ({@link #bindDiscoveryReloads()})
 *   <li>{@code leakwatch.agent.tls.reloads{outcome=ok|failed}}: rotated {@code scrape.tls} files
 *       put to use, or refused (the previous context stays); both exported at 0 from the start
 *       when the agent has TLS files ({@link #bindTlsReloads()})
 *   <li>{@code leakwatch.agent.buffer.records}, {@code leakwatch.agent.buffer.bytes} (gauges),
 *       {@code leakwatch.agent.buffer.dropped}: profiles evicted because the buffer was full
 *   <li>{@code leakwatch.agent.publish.inflight.bytes} (gauge): handed to the producer, not yet
 *       acknowledged
 *   <li>{@code leakwatch.agent.topic.ready} (gauge): 1 once the profiles topic is known to exist
 *       (created or found); 0 before, while nothing is sent and profiles wait in the buffer;
 *       {@code leakwatch.agent.topic.checks}: times the agent asked Kafka about the topic
 *   <li>{@code leakwatch.agent.published}, {@code leakwatch.agent.published.bytes}: acknowledged by
 *       Kafka; {@code leakwatch.agent.publish.retries}: sends that failed transiently and were put
 *       back in the buffer; {@code leakwatch.agent.publish.failures{reason}}: sends that failed
 *       permanently (each also logged), by one of {@link #PUBLISH_FAILURE_REASONS}; every reason is
 *       exported from the start at 0, so that the first failure shows as an increase (a series that
 *       appears already at 1 has none)
 *   <li>{@code leakwatch.agent.pushes{status}}: push requests by HTTP status
 * </ul>
 *
 * Per-target meters are removed when the target goes away, so a churning fleet does not grow the
 * exposition forever.
 */
public final class AgentMetrics {
  /** The {@code reason} values of {@code leakwatch.agent.publish.failures}. */
  public static final List<String> PUBLISH_FAILURE_REASONS =
      List.of("record_too_large", "serialization", "invalid_topic", "other");

  private static final String PUBLISH_FAILURES = "leakwatch.agent.publish.failures";
  private static final String TLS_RELOADS = "leakwatch.agent.tls.reloads";
  private static final String DISCOVERY_RELOADS = "leakwatch.agent.discovery.reloads";

  private final MeterRegistry registry;
  private final Counter published;
  private final Counter publishedBytes;
  private final Counter publishRetries;
  private final Counter deferred;
  private final boolean perTarget;
  private final AtomicInteger failingTargets = new AtomicInteger();

  /** Metrics with per-target series (labelled {@code service} and {@code instance}). */
  public AgentMetrics(MeterRegistry registry) {
    this(registry, true);
  }

  /**
   * @param perTarget whether scrape counters carry {@code service} and {@code instance} (and each
   *     target has its {@code consecutive_failures} gauge); without, they are summed over the targets
   *     by profile, which keeps {@code /metrics} small for tens of thousands of targets
   */
  public AgentMetrics(MeterRegistry registry, boolean perTarget) {
    this.registry = registry;
    this.perTarget = perTarget;
    Gauge.builder("leakwatch.agent.targets.failing", failingTargets, AtomicInteger::get)
        .description("targets whose latest scrape round failed")
        .register(registry);
    this.published = registry.counter("leakwatch.agent.published");
    this.publishedBytes = registry.counter("leakwatch.agent.published.bytes");
    this.publishRetries = registry.counter("leakwatch.agent.publish.retries");
    this.deferred = registry.counter("leakwatch.agent.scrape.deferred");
    PUBLISH_FAILURE_REASONS.forEach(reason -> registry.counter(PUBLISH_FAILURES, "reason", reason));
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** Exposes the buffer's occupancy and drop count. */
  public void bindBuffer(ProfileBuffer buffer) {
    Gauge.builder("leakwatch.agent.buffer.records", buffer, ProfileBuffer::size)
        .description("profiles waiting to be published")
        .register(registry);
    Gauge.builder("leakwatch.agent.buffer.bytes", buffer, ProfileBuffer::bytes)
        .description("profile bytes waiting to be published")
        .register(registry);
    FunctionCounter.builder("leakwatch.agent.buffer.dropped", buffer, ProfileBuffer::dropped)
        .description("profiles evicted (oldest first) because the buffer was full")
        .register(registry);
  }

  /** Exposes the profile bytes handed to the producer and not yet acknowledged. */
  public void bindInFlight(Supplier<Number> bytes) {
    Gauge.builder("leakwatch.agent.publish.inflight.bytes", bytes).register(registry);
  }

  /**
   * Exposes whether the profiles topic is known to exist (1) or not yet (0), and how often Kafka
   * was asked about it, both read from {@code publisher} (held weakly, as Micrometer does: the
   * caller keeps it).
   */
  public <T> void bindTopicSetup(T publisher, Predicate<T> ready, ToDoubleFunction<T> checks) {
    Gauge.builder("leakwatch.agent.topic.ready", publisher, p -> ready.test(p) ? 1 : 0)
        .description("1 once the profiles topic is known to exist; nothing is sent before")
        .register(registry);
    FunctionCounter.builder("leakwatch.agent.topic.checks", publisher, checks)
        .description("times the agent asked Kafka whether the profiles topic exists (or created it)")
        .register(registry);
  }

  /** Exposes the number of active targets. */
  public void bindTargetCount(Supplier<Number> count) {
    Gauge.builder("leakwatch.agent.targets", count).register(registry);
  }

  /** The meters of one target; call {@link TargetMeters#remove()} when the target goes away. */
  public TargetMeters forTarget(TargetId id) {
    return new TargetMeters(registry, id, perTarget, failingTargets);
  }

  public void published(long bytes) {
    published.increment();
    publishedBytes.increment(bytes);
  }

  public void publishRetried() {
    publishRetries.increment();
  }

  /**
   * Counts a permanent send failure.
   *
   * @param reason one of {@link #PUBLISH_FAILURE_REASONS}; anything else counts as {@code other}
   */
  public void publishFailed(String reason) {
    String known = PUBLISH_FAILURE_REASONS.contains(reason) ? reason : "other";
    registry.counter(PUBLISH_FAILURES, "reason", known).increment();
  }

  public void scrapeDeferred() {
    deferred.increment();
  }

  /**
   * Exports both outcomes of {@link #discoveryReload} at 0, so that the first refused target file
   * shows as an increase (a series that appears already at 1 has none).
   */
  public void bindDiscoveryReloads() {
    reload(DISCOVERY_RELOADS, true);
    reload(DISCOVERY_RELOADS, false);
  }

  /** Counts a settled change of the target files applied ({@code ok}) or refused. */
  public void discoveryReload(boolean ok) {
    reload(DISCOVERY_RELOADS, ok).increment();
  }

  /**
   * Exports both outcomes of {@link #tlsReload} at 0, so that the first refusal shows as an
   * increase (a series that appears already at 1 has none).
   */
  public void bindTlsReloads() {
    reload(TLS_RELOADS, true);
    reload(TLS_RELOADS, false);
  }

  /** Counts rotated TLS files put to use ({@code ok}) or refused. */
  public void tlsReload(boolean ok) {
    reload(TLS_RELOADS, ok).increment();
  }

  private Counter reload(String name, boolean ok) {
    return registry.counter(name, "outcome", ok ? "ok" : "failed");
  }

  public void push(int status) {
    registry.counter("leakwatch.agent.pushes", "status", Integer.toString(status)).increment();
  }

  /** Sum of every counter named {@code name} (all tag combinations); 0 if none exists. */
  public double total(String name) {
    double sum = 0;
    for (Meter m : registry.find(name).meters()) {
      for (var measurement : m.measure()) {
        sum += measurement.getValue();
      }
    }
    return sum;
  }
}
