package dev.leakwatch.processor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leakwatch.http.ApiSettings;
import dev.leakwatch.schemas.serde.SerdeConfig;
import dev.leakwatch.schemas.settings.KafkaClientDefaults;
import dev.leakwatch.schemas.settings.PassThroughKeys;
import dev.leakwatch.topology.TopologyConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processor's configuration, read from {@code processor.yaml}: the Kafka Streams properties
 * of one instance and the {@link TopologyConfig}. See docs/PROCESSOR.md for every key and default.
 *
 * @param streams Kafka Streams properties (application id, bootstrap servers, state dir, EOS,
 *     standbys, RocksDB bounds, pass-through client settings)
 * @param topology the topology's configuration
 * @param topics whether and how the processor creates missing external topics at start
 * @param http the query API's HTTP server (section {@code http}; docs/API.md)
 * @param rules where and how often the running processor re-reads its detection rules
 */
public record ProcessorConfig(Properties streams, TopologyConfig topology, TopicSettings topics, ApiSettings http,
    RulesFile rules) {

  /**
   * @param create create missing input and output topics at start (default true)
   * @param partitions partitions of topics it creates (default 6): the profiles topic's count
   *     bounds how many processor instances share the work
   */
  public record TopicSettings(boolean create, int partitions) {}

  /** Default {@code application.id}: instances sharing it share the partitions. */
  public static final String DEFAULT_APPLICATION_ID = "leakwatch-processor";
  /** Default state directory, relative to the working directory (Streams warns under /tmp). */
  public static final String DEFAULT_STATE_DIR = ".leakwatch/state";

  public ProcessorConfig {
    Objects.requireNonNull(streams, "streams");
    Objects.requireNonNull(topology, "topology");
    Objects.requireNonNull(topics, "topics");
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(rules, "rules");
  }

  /** A configuration read from no file: its rules are never re-read. */
  public ProcessorConfig(Properties streams, TopologyConfig topology, TopicSettings topics, ApiSettings http) {
    this(streams, topology, topics, http, new RulesFile(null, "", Duration.ZERO));
  }

  /** A configuration with the default HTTP settings. */
  public ProcessorConfig(Properties streams, TopologyConfig topology, TopicSettings topics) {
    this(streams, topology, topics, ApiSettings.defaults());
  }

  /** This configuration with other HTTP settings. */
  public ProcessorConfig withHttp(ApiSettings v) {
    return new ProcessorConfig(streams, topology, topics, v, rules);
  }

  private static final Logger LOG = LoggerFactory.getLogger(ProcessorConfig.class);

  /** Reads and validates a YAML file; warnings about unknown pass-through keys are logged. */
  public static ProcessorConfig load(Path file) {
    return load(file, LOG::warn);
  }

  /**
   * Reads and validates a YAML file, handing {@code warnings} one line per unknown pass-through key; the
   * processor may re-read its detection rules from it ({@link #rules()}).
   */
  public static ProcessorConfig load(Path file, Consumer<String> warnings) {
    ProcessorConfig c = parse(read(file), warnings);
    return new ProcessorConfig(c.streams, c.topology, c.topics, c.http, c.rules.from(file));
  }

  /** The text of {@code file}; a {@link ConfigError} naming it when it cannot be read. */
  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      // a missing file's exception says only its name, which the key already gives
      throw new ConfigError(file.toString(), "cannot read: "
          + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage()));
    }
  }

  /** {@link #parse(String, Consumer)}, logging the warnings. */
  public static ProcessorConfig parse(String yaml) {
    return parse(yaml, LOG::warn);
  }

  /**
   * Parses and validates YAML text; unknown keys are errors, except that an unknown {@code streams.*}
   * key not within a typo of a known name (a plugin's own setting) is handed to {@code warnings} as
   * one line ({@link PassThroughSettings}).
   */
  public static ProcessorConfig parse(String yaml, Consumer<String> warnings) {
    return parse(YamlTree.read(yaml), yaml, warnings);
  }

  /** As {@link #parse(String, Consumer)}, of the tree {@code root} read from {@code yaml}. */
  static ProcessorConfig parse(JsonNode root, String yaml, Consumer<String> warnings) {
    YamlSection r = new YamlSection("", root);
    Properties streams = streamsProperties(r);
    YamlSection topicSection = r.section("topics");
    int partitions = topicSection.integer("partitions", 6);
    if (partitions < 1) {
      throw new ConfigError("topics.partitions", partitions + "; must be at least 1");
    }
    TopicSettings topics = new TopicSettings(topicSection.bool("create", true), partitions);
    YamlSection detection = r.section("detection");
    RulesFile rules = new RulesFile(null, yaml, RulesFile.interval(detection));
    TopologyConfig topology = TopologyConfigReader.read(r, topicSection, detection);
    recordRoom(streams, maxRecordBytes(topology));
    ApiSettings http = HttpConfigReader.read(r, streams);
    PassThroughSettings.check(r.properties("streams"), r.properties("serde"), r.strings(PassThroughKeys.CUSTOM_KEYS),
        warnings);
    r.rejectUnknown();
    return new ProcessorConfig(streams, topology, topics, http, rules);
  }

  /**
   * Room for the largest record the processor writes, in its producer and in the internal topics
   * Streams creates (unless {@code streams.*} sets them, and then at least that much): a dead
   * letter carries an input of up to {@code maxEnvelopeBytes}, and an instance's first capture ships
   * the frames of all its stacks through the repartition topic. A dead letter the producer or its
   * topic refused would stop the pipeline at that record, so a smaller setting is an error.
   */
  private static void recordRoom(Properties p, long needed) {
    for (String key : new String[] {StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
        StreamsConfig.topicPrefix(TopicConfig.MAX_MESSAGE_BYTES_CONFIG)}) {
      Object set = p.get(key);
      if (set == null) {
        p.put(key, (int) needed);
        continue;
      }
      long value;
      try {
        value = Long.parseLong(set.toString().trim());
      } catch (NumberFormatException e) {
        throw new ConfigError("streams." + key, "'" + set + "' is not a number of bytes");
      }
      if (value < needed) {
        throw new ConfigError("streams." + key, value + " bytes is less than the largest record the processor"
            + " writes, " + needed + " (a dead letter: limits.maxEnvelopeBytes + " + DEAD_LETTER_HEADROOM
            + " bytes for its key and headers)");
      }
    }
  }

  /**
   * The largest record the processor writes, bytes: a dead letter (an input value of up to {@code
   * maxEnvelopeBytes} with its key and headers), or {@link #MAX_RECORD_BYTES} if more. The external
   * topics the processor creates get it as {@code max.message.bytes}.
   */
  public static long maxRecordBytes(TopologyConfig topology) {
    return Math.max(MAX_RECORD_BYTES, topology.maxEnvelopeBytes() + DEAD_LETTER_HEADROOM);
  }

  private static Properties streamsProperties(YamlSection r) {
    Properties p = new Properties();
    Map<String, Object> passThrough = r.properties("streams");
    OWNED_STREAMS_KEYS.forEach((key, topLevel) -> {
      if (passThrough.containsKey(key)) {
        // the top-level key (or its default) would silently replace it
        throw new ConfigError("streams." + key, "is set by '" + topLevel + "'; give it there");
      }
    });
    if (passThrough.containsKey(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG)) {
      // the processor installs its own: a stage's unexpected exception dead-letters its record
      throw new ConfigError("streams." + StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
          "is set by Leakwatch (a stage's unexpected exception dead-letters the record, docs/PROCESSOR.md)");
    }
    for (String key : passThrough.keySet()) {
      if (SerdeConfig.KEYS.contains(key)) {
        // the processor's serdes read the serde section only; here it would reach no serde
        throw new ConfigError("streams." + key, "is a serde setting; give it as 'serde." + key + "'");
      }
    }
    p.putAll(passThrough);
    Object guarantee = passThrough.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG);
    if (guarantee != null && !StreamsConfig.EXACTLY_ONCE_V2.equals(guarantee)) {
      throw new ConfigError("streams." + StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
          "Leakwatch requires " + StreamsConfig.EXACTLY_ONCE_V2 + " (no duplicate suspects after a restart)");
    }
    // Under exactly_once_v2 nothing the processor writes is visible before the commit (every 100 ms),
    // so filling batches for up to 50 ms and answering fetches with at least 256 KiB (or after 50 ms)
    // adds little latency, and sends and fetches a fraction of the requests: the broker and the
    // clients' network threads spent a third of the pipeline's CPU on small requests.
    p.putIfAbsent(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 50);
    p.putIfAbsent(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 256 << 10);
    p.putIfAbsent(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MIN_BYTES_CONFIG), 256 << 10);
    p.putIfAbsent(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), 50);
    // Kafka's clients log a WARN line at every failed attempt to reach a broker (the processor has
    // several clients, its topic bootstrap's admin client among them): see KafkaClientDefaults.
    p.putIfAbsent(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, KafkaClientDefaults.RECONNECT_BACKOFF_MAX_MS);
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, r.string("applicationId", DEFAULT_APPLICATION_ID));
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, r.string("bootstrapServers", "localhost:9092"));
    p.put(StreamsConfig.STATE_DIR_CONFIG,
        Path.of(r.string("stateDir", DEFAULT_STATE_DIR)).toAbsolutePath().normalize().toString());
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, nonNegative(r, "standbyReplicas", 0));
    // One stream thread per core by default (a container's CPU limit, as the JVM sees it): one
    // thread runs a task's records in sequence, and a profile's decode and detection is CPU work.
    int threads = nonNegative(r, "streamThreads", 0);
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads == 0 ? defaultStreamThreads() : threads);
    p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, r.integer("replicationFactor", -1));
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, r.duration("commitInterval",
        Duration.ofMillis(100)).toMillis());
    YamlSection rocks = r.section("rocksdb");
    long cache = rocks.bytes("blockCacheBytes", 64L << 20);
    if (cache <= 0) {
      throw new ConfigError("rocksdb.blockCacheBytes", cache + " bytes; must be positive");
    }
    p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbConfig.class.getName());
    p.put(BoundedRocksDbConfig.BLOCK_CACHE_BYTES, Long.toString(cache));
    long writeBuffers = rocks.bytes("writeBufferBytes", cache / 4);
    if (writeBuffers <= 0) {
      throw new ConfigError("rocksdb.writeBufferBytes", writeBuffers + " bytes; must be positive");
    }
    if (writeBuffers > cache) {
      throw new ConfigError("rocksdb.writeBufferBytes", writeBuffers + " bytes exceeds blockCacheBytes " + cache
          + " (memtables are charged to the cache)");
    }
    p.put(BoundedRocksDbConfig.WRITE_BUFFER_BYTES, Long.toString(writeBuffers));
    rocks.rejectUnknown();
    return p;
  }

  /** Stream threads when the file says none (or 0): one per processor the JVM may use. */
  public static int defaultStreamThreads() {
    return Math.max(1, Runtime.getRuntime().availableProcessors());
  }

  /** Kafka Streams properties the file sets through its own keys, which {@code streams.*} may not. */
  static final Map<String, String> OWNED_STREAMS_KEYS = Map.of(
      StreamsConfig.APPLICATION_ID_CONFIG, "applicationId",
      StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "bootstrapServers",
      StreamsConfig.STATE_DIR_CONFIG, "stateDir",
      StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, "standbyReplicas",
      StreamsConfig.NUM_STREAM_THREADS_CONFIG, "streamThreads",
      StreamsConfig.REPLICATION_FACTOR_CONFIG, "replicationFactor",
      StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "commitInterval",
      StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, "rocksdb",
      BoundedRocksDbConfig.BLOCK_CACHE_BYTES, "rocksdb.blockCacheBytes",
      BoundedRocksDbConfig.WRITE_BUFFER_BYTES, "rocksdb.writeBufferBytes");

  /** Least room for a record the processor writes, bytes (16 MiB). */
  static final int MAX_RECORD_BYTES = 16 << 20;
  /** Room in a dead letter for the input's key and headers and the dead letter's own, bytes (1 MiB). */
  static final int DEAD_LETTER_HEADROOM = 1 << 20;

  private static int nonNegative(YamlSection r, String key, int fallback) {
    int v = r.integer(key, fallback);
    if (v < 0) {
      throw new ConfigError(r.keyPath(key), v + "; must not be negative");
    }
    return v;
  }

  /** The topic names this configuration reads and writes, for logs and topic creation. */
  public String[] externalTopics() {
    TopologyConfig t = topology;
    return t.auditTopic() == null
        ? new String[] {t.profilesTopic(), t.deadLetterTopic(), t.suspectsTopic()}
        : new String[] {t.profilesTopic(), t.deadLetterTopic(), t.suspectsTopic(), t.auditTopic()};
  }
}
