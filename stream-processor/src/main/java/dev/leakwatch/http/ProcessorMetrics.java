package dev.leakwatch.http;

import dev.leakwatch.topology.TopologyObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processor's metrics in Prometheus format: every Kafka Streams metric (Micrometer's
 * {@link KafkaStreamsMetrics}) plus Leakwatch's own:
 * <ul>
 *   <li>{@code leakwatch_profiles_processed_total{type}}: profiles decoded and validated
 *   <li>{@code leakwatch_profiles_dead_lettered_total{stage}}: input records sent to the dead letters
 *   <li>{@code leakwatch_processing_failures_total{node}}: exceptions no check foresaw (bugs) that a
 *       stage threw and processing went on past (records dead-lettered at stage {@code processing},
 *       punctuations skipped)
 *   <li>{@code leakwatch_profile_decode_seconds}: time to decode and validate one input record
 *   <li>{@code leakwatch_suspects_open}: open suspects of the services this instance owns
 *   <li>{@code leakwatch_suspects_dropped_total{state}}: suspects dropped to keep their service's
 *       lifecycle state within its bound, {@code open} ones (a RESOLVED ended each) and {@code
 *       candidate}s (never announced); {@code leakwatch_suspect_sites_refused_total}: growing sites
 *       that could not become suspects (at most suspects, or no room), counted at each report
 *   <li>{@code leakwatch_store_estimated_keys{store}}, {@code leakwatch_store_sst_size_bytes{store}}:
 *       RocksDB's estimates for this instance's share of each store, and the stores' restoration
 *       ({@link StoreMeters})
 *   <li>{@code leakwatch_queries_in_flight}, {@code leakwatch_queries_limit}, {@code
 *       leakwatch_queries_refused_total}: the {@link QueryGate}'s queries being handled, its bound, and
 *       the queries it refused
 *   <li>{@code leakwatch_broker_unreachable_seconds}: how long the instance has not heard from any
 *       broker, 0 when fine ({@link BrokerContact} defines it); {@code
 *       leakwatch_broker_contact_sample_failures_total}: samples of it that failed (each run logged)
 *   <li>{@code leakwatch_detection_rules_reloads_total{outcome}}: edits of the configuration file the
 *       instance acted on ({@code applied}, {@code refused}, {@code restart_needed})
 *   <li>{@code leakwatch_detection_rules_info{digest}}: 1, labelled with the digest of the detection rules
 *       in force ({@link dev.leakwatch.detect.DetectionPolicy#digest()})
 * </ul>
 * Counts are per instance (sum them in Prometheus); under exactly-once a record of an aborted
 * transaction counts again when it is reprocessed. Thread-safe.
 */
public final class ProcessorMetrics implements TopologyObserver, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ProcessorMetrics.class);
  private static final List<String> TYPES = List.of("heap", "allocs", "goroutine", "goroutineleak");
  private static final List<String> STAGES = List.of("size", "avro", "validation", "pprof", "processing");
  private static final String IN_FLIGHT = "leakwatch.queries.in.flight";
  private static final String LIMIT = "leakwatch.queries.limit";
  private static final String REFUSED = "leakwatch.queries.refused";
  private static final String RULES_INFO = "leakwatch.detection.rules.info";
  /** The outcomes of {@link #rulesReloaded}. */
  public static final List<String> RELOAD_OUTCOMES = List.of("applied", "refused", "restart_needed");

  private final PrometheusMeterRegistry registry;
  private final Timer decode;
  private KafkaStreamsMetrics streamsMetrics;
  private BrokerContact brokers;
  // Names of counters dropped because they went negative (see scrape); never registered again.
  private final Set<String> brokenCounters = ConcurrentHashMap.newKeySet();
  private volatile String rulesDigest;

  public ProcessorMetrics() {
    this(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  ProcessorMetrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
    registry.config().meterFilter(MeterFilter.deny(id -> brokenCounters.contains(id.getName())));
    decode = Timer.builder("leakwatch.profile.decode")
        .description("time to decode and validate one input record").register(registry);
    TYPES.forEach(t -> processed(t));
    dropped("open"); // at 0 from the start, for increase()
    dropped("candidate");
    refusedSites();
    STAGES.forEach(s -> deadLettered(s));
    RELOAD_OUTCOMES.forEach(o -> reloads(o)); // at 0 from the start, for increase()
  }

  /** Counts an edit of the configuration file acted on, by outcome (one of {@link #RELOAD_OUTCOMES}). */
  public void rulesReloaded(String outcome) {
    reloads(outcome).increment();
  }

  private Counter reloads(String outcome) {
    return Counter.builder("leakwatch.detection.rules.reloads")
        .description("edits of the configuration file acted on, by outcome").tag("outcome", outcome)
        .register(registry);
  }

  /** Shows {@code digest} as the rules in force ({@code leakwatch_detection_rules_info}), replacing the last. */
  public synchronized void rulesInForce(String digest) {
    registry.find(RULES_INFO).meters().forEach(registry::remove);
    Gauge.builder(RULES_INFO, () -> 1).description("1, labelled with the digest of the detection rules in force")
        .tag("digest", digest).register(registry);
    rulesDigest = digest;
  }

  /** The digest last given to {@link #rulesInForce}; null before. */
  String rulesDigest() {
    return rulesDigest;
  }

  @Override
  public void profileDecoded(String profileType, long decodeNanos) {
    processed(profileType).increment();
    decode.record(decodeNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void profileRejected(String stage, long decodeNanos) {
    deadLettered(stage).increment();
    decode.record(decodeNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void processingFailed(String node, boolean deadLettered) {
    processingFailures(node).increment();
    if (deadLettered) {
      deadLettered("processing").increment();
    }
  }

  /**
   * Shows {@code leakwatch_processing_failures_total} at 0 for each of the topology's stages
   * ({@code nodes}) before any fails: a series that appears at 1 hides its first failure from
   * Prometheus' {@code increase()}, which the documented alert uses.
   */
  public void expectProcessingFailures(Collection<String> nodes) {
    nodes.forEach(this::processingFailures);
  }

  @Override
  public void suspectsDropped(int ended, int unannounced) {
    dropped("open").increment(ended);
    dropped("candidate").increment(unannounced);
  }

  @Override
  public void sitesRefused(int count) {
    refusedSites().increment(count);
  }

  private Counter dropped(String state) {
    return Counter.builder("leakwatch.suspects.dropped")
        .description("suspects dropped to keep their service's lifecycle state within its bound")
        .tag("state", state).register(registry);
  }

  private Counter refusedSites() {
    return Counter.builder("leakwatch.suspect.sites.refused")
        .description("growing sites that could not become suspects (most suspects, or no room), per report")
        .register(registry);
  }

  private Counter processingFailures(String node) {
    return Counter.builder("leakwatch.processing.failures")
        .description("unexpected exceptions of a stage that processing went on past (bugs)")
        .tag("node", node).register(registry);
  }

  private Counter processed(String type) {
    return Counter.builder("leakwatch.profiles.processed").description("profiles decoded and validated")
        .tag("type", type).register(registry);
  }

  private Counter deadLettered(String stage) {
    return Counter.builder("leakwatch.profiles.dead.lettered").description("input records sent to the dead letters")
        .tag("stage", stage).register(registry);
  }

  /**
   * Adds the metrics of a Kafka Streams instance and of its stores.
   *
   * @param openSuspects open suspects of the services this instance owns (may throw while rebalancing:
   *     the gauge then reads NaN)
   */
  public synchronized void bind(KafkaStreams streams, LongSupplier openSuspects) {
    streamsMetrics = new KafkaStreamsMetrics(streams);
    streamsMetrics.bindTo(registry);
    brokers = BrokerContact.watch(streams);
    BrokerContact contact = brokers;
    Gauge.builder("leakwatch.broker.unreachable", contact::unreachableSeconds).baseUnit("seconds")
        .description("seconds without a response from any broker, once at least "
            + BrokerContact.GRACE.toSeconds() + " s; 0 otherwise").register(registry);
    FunctionCounter.builder("leakwatch.broker.contact.sample.failures", contact, BrokerContact::sampleFailures)
        .description("samples of the broker contact that failed (logged; sampling goes on)").register(registry);
    Gauge.builder("leakwatch.suspects.open", () -> {
      try {
        return openSuspects.getAsLong();
      } catch (RuntimeException e) {
        return Double.NaN;
      }
    }).description("open suspects of the services this instance owns").register(registry);
    StoreMeters.bindRocksDb(registry, streams);
  }

  /**
   * Seconds this instance has gone without a response from any broker, as {@code
   * leakwatch_broker_unreachable_seconds} reads ({@link BrokerContact}); 0 before {@link #bind}.
   */
  synchronized long brokerUnreachableSeconds() {
    return brokers == null ? 0 : brokers.unreachableSeconds();
  }

  /**
   * Adds, per store, the changelog records this instance has left to restore before the store
   * answers ({@code remaining} by store name; 0 when it is not restoring) and those it restored
   * since it started ({@code restored}, a count that only grows).
   */
  public synchronized void bindRestores(ToLongFunction<String> remaining, ToLongFunction<String> restored) {
    StoreMeters.bindRestores(registry, remaining, restored);
  }

  /**
   * Adds the metrics of the server's query gate. One gate per instance: binding another (a new
   * server on the same metrics) replaces the previous gate's, so the metrics never describe a
   * stopped server's gate.
   */
  synchronized void bind(QueryGate gate) {
    for (String name : List.of(IN_FLIGHT, LIMIT, REFUSED)) {
      registry.find(name).meters().forEach(registry::remove);
    }
    Gauge.builder(IN_FLIGHT, gate::inFlight).description("queries under /api/ being handled (held permits)")
        .register(registry);
    Gauge.builder(LIMIT, gate::limit).description("most queries handled at once (" + QueryGate.SETTING + ")")
        .register(registry);
    FunctionCounter.builder(REFUSED, gate, QueryGate::refused)
        .description("queries refused with a retryable 503 because the limit was reached").register(registry);
  }

  /**
   * The Prometheus text exposition of every metric.
   *
   * <p>A counter with a negative value makes the Prometheus client refuse the whole scrape; some
   * Kafka Streams metrics report -1 (KAFKA-18495, e.g. with {@code metrics.recording.level=DEBUG}).
   * Such counters are dropped, logged once by name, and not registered again, so one bad metric
   * never hides the others.
   */
  public String scrape() {
    try {
      return registry.scrape();
    } catch (IllegalArgumentException e) {
      for (Meter m : registry.getMeters()) {
        if (m instanceof FunctionCounter c && c.count() < 0) {
          brokenCounters.add(m.getId().getName());
          registry.remove(m);
          LOG.warn("dropped metric {} {}: a counter with the negative value {} breaks the Prometheus scrape",
              m.getId().getName(), m.getId().getTags(), c.count());
        }
      }
      return registry.scrape();
    }
  }

  @Override
  public synchronized void close() {
    if (streamsMetrics != null) {
      streamsMetrics.close();
    }
    if (brokers != null) {
      brokers.close();
    }
    registry.close();
  }
}
