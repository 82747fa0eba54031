package dev.leakwatch.topology;

import dev.leakwatch.schemas.avro.LeakSuspect;
import dev.leakwatch.schemas.avro.ProfileEnvelope;
import dev.leakwatch.schemas.serde.LeakwatchSerdes;
import dev.leakwatch.topology.eval.CorpusScenario;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

/**
 * A {@link TopologyTestDriver} over the production topology ({@link LeakwatchTopology#topology})
 * with typed access to its topics and stores. Every record is piped with an explicit timestamp.
 */
final class TopologyHarness implements AutoCloseable {

  final TopologyConfig config;
  final TopologyTestDriver driver;
  private final TestInputTopic<String, ProfileEnvelope> envelopes;
  private final TestInputTopic<byte[], byte[]> raw;
  private final TestOutputTopic<String, LeakSuspect> suspects;
  private final TestOutputTopic<byte[], byte[]> deadLetters;
  private final TestOutputTopic<String, String> audit;
  private final Serializer<ProfileEnvelope> envelopeSerializer;

  TopologyHarness(TopologyConfig config, Path stateDir) {
    this(config, stateDir, Instant.now());
  }

  /** A harness whose driver's wall clock (the processor's clock) starts at {@code wallClock}. */
  TopologyHarness(TopologyConfig config, Path stateDir, Instant wallClock) {
    this(config, stateDir, wallClock, TopologyObserver.NONE);
  }

  /** A harness whose topology reports to {@code observer}, as the processor's reports to its metrics. */
  TopologyHarness(TopologyConfig config, Path stateDir, Instant wallClock, TopologyObserver observer) {
    this.config = config;
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "leakwatch-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "test:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.putAll(LeakwatchTopology.streamsSettings(config, observer));
    this.driver = new TopologyTestDriver(LeakwatchTopology.topology(config, observer), props, wallClock);
    Map<String, Object> serdes = config.serdeConfig();
    this.envelopeSerializer = LeakwatchSerdes.profileEnvelope(serdes, false).serializer();
    this.envelopes = driver.createInputTopic(config.profilesTopic(), new StringSerializer(), envelopeSerializer);
    this.raw = driver.createInputTopic(config.profilesTopic(), new ByteArraySerializer(), new ByteArraySerializer());
    this.suspects = driver.createOutputTopic(config.suspectsTopic(), new StringDeserializer(),
        LeakwatchSerdes.leakSuspect(serdes, false).deserializer());
    this.deadLetters = driver.createOutputTopic(config.deadLetterTopic(), new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
    this.audit = driver.createOutputTopic(config.auditTopic(), new StringDeserializer(), new StringDeserializer());
  }

  /** A harness in a fresh directory under {@code tempDir} (JUnit's @TempDir, outside /tmp's cleaners). */
  static TopologyHarness create(TopologyConfig config, Path tempDir) {
    try {
      return new TopologyHarness(config, Files.createTempDirectory(tempDir, "state"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Pipes a capture as its agent would have published it, at its recorded capture time. */
  void pipe(String service, CorpusScenario.Capture c) {
    pipeAt(service, c, c.captureMs());
  }

  /** Pipes a capture re-timed to {@code captureMs} (record timestamp = capture time). */
  void pipeAt(String service, CorpusScenario.Capture c, long captureMs) {
    envelopes.pipeInput(DecodedProfile.instanceKey(service, c.instance()),
        Fixtures.envelope(service, c, captureMs), Instant.ofEpochMilli(captureMs));
  }

  /** Pipes an envelope under its own key, timestamped with its capture time. */
  void pipe(ProfileEnvelope e) {
    envelopes.pipeInput(DecodedProfile.instanceKey(e.getService(), e.getInstance()), e, e.getCaptureTime());
  }

  /** Pipes captures re-timed to {@code startMs}, {@code startMs + stepMs}, ... in the order given. */
  void pipeEvery(String service, List<CorpusScenario.Capture> captures, long startMs, long stepMs) {
    for (int i = 0; i < captures.size(); i++) {
      pipeAt(service, captures.get(i), startMs + i * stepMs);
    }
  }

  /** The value stored under {@code key} in a key-value store, or null. */
  byte[] stored(String store, String key) {
    KeyValueStore<String, byte[]> kv = driver.getKeyValueStore(store);
    return kv.get(key);
  }

  /** Stores {@code value} under {@code key}, as a release writing another format would have. */
  void store(String store, String key, byte[] value) {
    KeyValueStore<String, byte[]> kv = driver.getKeyValueStore(store);
    kv.put(key, value);
  }

  /** The keys of a key-value store, the changelog anchor's left out. */
  Set<String> storeKeys(String store) {
    KeyValueStore<String, byte[]> kv = driver.getKeyValueStore(store);
    Set<String> keys = new TreeSet<>();
    try (KeyValueIterator<String, byte[]> it = kv.all()) {
      it.forEachRemaining(e -> keys.add(e.key));
    }
    keys.remove(ChangelogAnchor.KEY);
    return keys;
  }

  void pipeAll(String service, List<CorpusScenario.Capture> captures) {
    captures.forEach(c -> pipe(service, c));
  }

  /** Pipes raw bytes (for malformed input). */
  void pipeRaw(byte[] key, byte[] value, long timestampMs) {
    raw.pipeInput(key, value, Instant.ofEpochMilli(timestampMs));
  }

  /** Pipes a raw record with headers. */
  void pipeRaw(TestRecord<byte[], byte[]> record) {
    raw.pipeInput(record);
  }

  /** The bytes the production serializer writes for an envelope. */
  byte[] serialize(ProfileEnvelope e) {
    return envelopeSerializer.serialize(config.profilesTopic(), e);
  }

  List<LeakSuspect> suspects() {
    return suspects.readValuesToList();
  }

  List<TestRecord<byte[], byte[]>> deadLetters() {
    return deadLetters.readRecordsToList();
  }

  List<TestRecord<String, String>> audit() {
    return audit.readRecordsToList();
  }

  @Override
  public void close() {
    driver.close();
  }
}
