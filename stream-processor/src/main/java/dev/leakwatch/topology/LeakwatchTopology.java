package dev.leakwatch.topology;

import static dev.leakwatch.topology.TopologyNames.*;

import dev.leakwatch.schemas.avro.LeakSuspect;
import dev.leakwatch.schemas.avro.ProfileEnvelope;
import dev.leakwatch.schemas.serde.LeakwatchSerdes;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The Leakwatch stream topology: one pure builder shared by the processor, the tests and
 * {@code eval}. It does no I/O and reads no configuration files: everything comes from
 * {@link TopologyConfig}.
 *
 * <pre>
 * profiles (bytes) → decode-envelope ─┬─ failed → dead-letter-original-bytes → DLQ topic
 *                                     └─ ok ─┬─ audit-entry → audit topic
 *                                            └─ instance-detect [instance-series, instance-snapshot]
 *                                                → instance-reports-by-service (repartition, key service)
 *                                                   ├─ service-windows-aggregate [service-windows, stack-dictionary, stack-last-seen]
 *                                                   └─ suspect-lifecycle [suspect-lifecycle] ─┬─ suspects topic
 *                                                                                             └─ suspect-history-record [suspect-history]
 * </pre>
 *
 * Every processor, store and internal topic is named (see {@link TopologyNames}). Time is capture
 * time throughout: the decode stage stamps each record with it.
 */
public final class LeakwatchTopology {

  private LeakwatchTopology() {}

  /** The production topology of {@code config}, built on a fresh {@link StreamsBuilder}. */
  public static Topology topology(TopologyConfig config) {
    return topology(config, TopologyObserver.NONE);
  }

  /** The production topology reporting decode outcomes to {@code observer}. */
  public static Topology topology(TopologyConfig config, TopologyObserver observer) {
    StreamsBuilder builder = new StreamsBuilder();
    build(builder, config, observer);
    return builder.build();
  }

  /**
   * Kafka Streams settings the topology relies on, to add to the properties of every {@code
   * KafkaStreams} or test driver that runs it: a stage's unexpected exception dead-letters its record
   * to {@link TopologyConfig#deadLetterTopic} instead of stopping the processor ({@link
   * ProcessingFailureHandler}), reported to {@code observer}. The map holds the observer object itself.
   */
  public static Map<String, Object> streamsSettings(TopologyConfig config, TopologyObserver observer) {
    return ProcessingFailureHandler.settings(config.deadLetterTopic(), observer);
  }

  /** Adds the Leakwatch topology to {@code builder}. */
  public static void build(StreamsBuilder builder, TopologyConfig config) {
    build(builder, config, TopologyObserver.NONE);
  }

  /** Adds the Leakwatch topology to {@code builder}, reporting decode outcomes to {@code observer}. */
  public static void build(StreamsBuilder builder, TopologyConfig config, TopologyObserver observer) {
    Map<String, Object> serdeConfig = config.serdeConfig();
    Serde<LeakSuspect> suspects = LeakwatchSerdes.leakSuspect(serdeConfig, false);
    addStores(builder, config);

    KStream<byte[], byte[]> input = builder.stream(config.profilesTopic(),
        Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(SOURCE));
    Map<String, KStream<String, DecodeOutcome>> outcomes = input
        .process(() -> {
          Serde<ProfileEnvelope> envelopes = LeakwatchSerdes.profileEnvelope(serdeConfig, false);
          return new DecodeProcessor(new EnvelopeDecoder(envelopes.deserializer(), config), observer);
        }, Named.as(DECODE))
        .split(Named.as(DECODE_SPLIT))
        .branch((k, v) -> v instanceof DecodeOutcome.Decoded, Branched.as("-ok"))
        .defaultBranch(Branched.as("-failed"));

    outcomes.get(FAILED_BRANCH)
        .map((k, v) -> {
          DecodeOutcome.Rejected r = (DecodeOutcome.Rejected) v;
          return KeyValue.pair(r.key(), r.value());
        }, Named.as(DEAD_LETTER_VALUES))
        .to(config.deadLetterTopic(),
            Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(DEAD_LETTER_SINK));

    KStream<String, DecodedProfile> decoded = outcomes.get(DECODED_BRANCH)
        .mapValues(v -> ((DecodeOutcome.Decoded) v).profile(), Named.as(DECODED_BRANCH + "-profile"));
    if (config.auditTopic() != null) {
      decoded.mapValues(p -> p.source().describe(), Named.as(AUDIT_VALUES))
          .to(config.auditTopic(), Produced.with(Serdes.String(), Serdes.String()).withName(AUDIT_SINK));
    }

    KStream<String, ServiceReport> byService = decoded
        .process(() -> new InstanceProcessor(config), Named.as(INSTANCE_DETECT),
            INSTANCE_SERIES_STORE, INSTANCE_SNAPSHOT_STORE)
        .repartition(Repartitioned.<String, ServiceReport>as(REPORTS_BY_SERVICE)
            .withKeySerde(Serdes.String())
            .withValueSerde(new ServiceReportSerde()));
    byService.process(() -> new WindowProcessor(config), Named.as(SERVICE_WINDOWS),
        SERVICE_WINDOWS_STORE, STACK_DICTIONARY_STORE, STACK_LAST_SEEN_STORE);
    KStream<String, LeakSuspect> events = byService
        .process(() -> new LifecycleProcessor(config, observer), Named.as(SUSPECT_LIFECYCLE), SUSPECT_LIFECYCLE_STORE,
            SUSPECT_HISTORY_STORE);
    events.to(config.suspectsTopic(), Produced.with(Serdes.String(), suspects).withName(SUSPECTS_SINK));
    events.process(SuspectHistoryProcessor::new, Named.as(SUSPECT_HISTORY), SUSPECT_HISTORY_STORE);
  }

  private static void addStores(StreamsBuilder builder, TopologyConfig config) {
    // Per-instance keys are written once per capture interval: nothing to coalesce, no record cache.
    for (String name : new String[] {INSTANCE_SERIES_STORE, INSTANCE_SNAPSHOT_STORE}) {
      builder.addStateStore(Stores.keyValueStoreBuilder(
          Stores.persistentKeyValueStore(name), Serdes.String(), Serdes.ByteArray()));
    }
    // Per-service keys are rewritten by every capture of every instance of the service: with the
    // record cache, RocksDB and the changelog see one write per key and commit, not one per capture.
    for (String name : new String[] {STACK_DICTIONARY_STORE, STACK_LAST_SEEN_STORE, SUSPECT_LIFECYCLE_STORE}) {
      builder.addStateStore(Stores.keyValueStoreBuilder(
          Stores.persistentKeyValueStore(name), Serdes.String(), Serdes.ByteArray()).withCachingEnabled());
    }
    builder.addStateStore(Stores.windowStoreBuilder(
        Stores.persistentWindowStore(SERVICE_WINDOWS_STORE, config.windowRetention(), config.windowSize(), false),
        Serdes.String(), Serdes.ByteArray()).withCachingEnabled());
    // An event log per service: "windows" of 1 ms starting at each event's detectedAt, duplicates kept.
    builder.addStateStore(Stores.windowStoreBuilder(
        Stores.persistentWindowStore(SUSPECT_HISTORY_STORE, config.windowRetention(), Duration.ofMillis(1), true),
        Serdes.String(), Serdes.ByteArray()));
  }
}
