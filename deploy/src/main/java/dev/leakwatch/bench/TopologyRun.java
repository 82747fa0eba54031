package dev.leakwatch.bench;

import dev.leakwatch.processor.BoundedRocksDbConfig;
import dev.leakwatch.topology.LeakwatchTopology;
import dev.leakwatch.topology.TopologyConfig;
import dev.leakwatch.topology.TopologyObserver;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * The production topology ({@link LeakwatchTopology#topology}, default {@link TopologyConfig}, the
 * production RocksDB settings {@link BoundedRocksDbConfig}) in a {@link TopologyTestDriver}, fed a
 * {@link Fleet} round after round: every instance publishes one heap profile per round, 30 s of
 * capture time apart, with the record timestamp equal to the capture time.
 *
 * <p>The driver processes each record synchronously in the calling thread and commits after each one
 * (which flushes the stores), with real RocksDB stores in the given state directory. The driver keeps
 * every record written to any topic, changelogs and the repartition topic included, until read: all
 * of them are drained as it goes so that they do not pile up in memory.
 */
public final class TopologyRun implements AutoCloseable {

  /** Capture interval of every instance, ms. */
  public static final long INTERVAL_MS = 30_000;

  // records are prepared (their envelopes serialized) this many at a time by pipe()
  private static final int PREPARE_CHUNK = 64;

  /** The next record of the schedule, built by {@link #prepare}. */
  private record Prepared(byte[] key, byte[] value, long captureMs, int gzBytes) {}

  private final Fleet fleet;
  private final Path stateDir;
  private final TopologyTestDriver driver;
  private final TestInputTopic<byte[], byte[]> input;
  private final TestOutputTopic<String, String> audit;
  private final TestOutputTopic<byte[], byte[]> suspects;
  private final TestOutputTopic<byte[], byte[]> deadLetters;
  private final Map<String, TestOutputTopic<byte[], byte[]>> others = new HashMap<>();
  private final long startMs;
  private long next;
  private final List<Prepared> prepared = new ArrayList<>();
  private long gzBytes;
  private long processed;
  private long suspectEvents;
  private long deadLettered;

  /**
   * @param fleet who publishes
   * @param stateRoot a directory under which this run makes its own state directory
   * @param startMs capture time of the first round, ms since the Unix epoch
   */
  public TopologyRun(Fleet fleet, Path stateRoot, long startMs) {
    this.fleet = fleet;
    this.startMs = startMs;
    TopologyConfig config = TopologyConfig.defaults();
    this.stateDir = BenchFiles.scratch(stateRoot, "topology-");
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "leakwatch-bench");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "bench:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbConfig.class.getName());
    props.putAll(LeakwatchTopology.streamsSettings(config, TopologyObserver.NONE));
    this.driver = new TopologyTestDriver(LeakwatchTopology.topology(config), props);
    this.input = driver.createInputTopic(config.profilesTopic(), new ByteArraySerializer(), new ByteArraySerializer());
    this.audit = driver.createOutputTopic(config.auditTopic(), new StringDeserializer(), new StringDeserializer());
    this.suspects = driver.createOutputTopic(config.suspectsTopic(), new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
    this.deadLetters = driver.createOutputTopic(config.deadLetterTopic(), new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
  }

  /** Pipes the next {@code count} records of the round-robin schedule, preparing them as it goes. */
  public void pipe(long count) {
    for (long left = count; left > 0; left -= PREPARE_CHUNK) {
      prepare((int) Math.min(PREPARE_CHUNK, left));
      pipePrepared();
    }
  }

  /**
   * Builds the next {@code count} records of the schedule (the agents' serialized envelopes) without
   * piping them: the input's preparation, which timed callers keep out of the topology's time.
   */
  public void prepare(int count) {
    int n = fleet.size();
    for (long end = next + prepared.size() + count, k = next + prepared.size(); k < end; k++) {
      int i = (int) (k % n);
      int capture = (int) (k / n);
      long captureMs = startMs + capture * INTERVAL_MS + i * INTERVAL_MS / n;
      byte[] gz = fleet.profile(i, capture);
      prepared.add(new Prepared(fleet.key(i), fleet.envelope(i, gz, captureMs), captureMs, gz.length));
    }
  }

  /** Pipes every prepared record through the topology and drains its outputs. */
  public void pipePrepared() {
    for (Prepared r : prepared) {
      input.pipeInput(r.key(), r.value(), Instant.ofEpochMilli(r.captureMs()));
      gzBytes += r.gzBytes();
      next++;
      if (next % 16 == 0) {
        drain();
      }
    }
    prepared.clear();
    drain();
  }

  /** Records piped so far. */
  public long piped() {
    return next;
  }

  /** Compressed profile bytes piped so far. */
  public long gzBytes() {
    return gzBytes;
  }

  /** Records that reached the audit topic (decoded and processed) so far. */
  public long processed() {
    return processed;
  }

  /** Suspect events emitted so far. */
  public long suspectEvents() {
    return suspectEvents;
  }

  /** Records dead-lettered so far. */
  public long deadLettered() {
    return deadLettered;
  }

  /**
   * Number of entries and bytes of their values in key-value store {@code name}.
   *
   * @return {entries, value bytes}
   */
  public long[] storeSize(String name) {
    long[] out = new long[2];
    try (KeyValueIterator<String, byte[]> it = driver.<String, byte[]>getKeyValueStore(name).all()) {
      it.forEachRemaining(kv -> {
        out[0]++;
        out[1] += kv.value.length;
      });
    }
    return out;
  }

  /**
   * The sum of Kafka Streams' RocksDB property metric {@code name} (e.g. {@code live-sst-files-size},
   * {@code cur-size-all-mem-tables}, bytes) over every store and segment of this topology.
   */
  public long rocksDbMetric(String name) {
    long sum = 0;
    for (Map.Entry<MetricName, ? extends Metric> m : driver.metrics().entrySet()) {
      if (m.getKey().name().equals(name) && m.getKey().group().equals("stream-state-metrics")
          && m.getValue().metricValue() instanceof Number n) {
        sum += n.longValue();
      }
    }
    return sum;
  }

  /** The state directory (RocksDB stores and checkpoints). */
  public Path stateDir() {
    return stateDir;
  }

  private void drain() {
    processed += audit.readValuesToList().size();
    suspectEvents += suspects.readValuesToList().size();
    deadLettered += deadLetters.readValuesToList().size();
    // Changelogs and the repartition topic: the driver keeps their records too.
    for (String topic : driver.producedTopicNames()) {
      TestOutputTopic<byte[], byte[]> t = others.computeIfAbsent(topic,
          n -> driver.createOutputTopic(n, new ByteArrayDeserializer(), new ByteArrayDeserializer()));
      while (!t.isEmpty()) {
        t.readRecord();
      }
    }
  }

  /** Closes the driver; its state directory is left for the caller to measure or delete. */
  @Override
  public void close() {
    driver.close();
  }
}
