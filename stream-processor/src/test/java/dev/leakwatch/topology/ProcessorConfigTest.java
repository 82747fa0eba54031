package dev.leakwatch.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.detect.DetectionPolicy;
import dev.leakwatch.processor.BoundedRocksDbConfig;
import dev.leakwatch.processor.ConfigError;
import dev.leakwatch.processor.ProcessorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** processor.yaml: defaults, every section, and precise errors naming the key. */
class ProcessorConfigTest {

  @Test
  void shouldApplyDocumentedDefaultsToAnEmptyFile() {
    ProcessorConfig c = ProcessorConfig.parse("{}");

    assertEquals("leakwatch-processor", c.streams().get(StreamsConfig.APPLICATION_ID_CONFIG));
    assertEquals(StreamsConfig.EXACTLY_ONCE_V2, c.streams().get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
    assertEquals(0, c.streams().get(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG));
    assertEquals(Path.of(".leakwatch/state").toAbsolutePath().normalize().toString(),
        c.streams().get(StreamsConfig.STATE_DIR_CONFIG));
    assertEquals(BoundedRocksDbConfig.class.getName(), c.streams().get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG));
    assertEquals(Long.toString(64L << 20), c.streams().get(BoundedRocksDbConfig.BLOCK_CACHE_BYTES));
    assertEquals(Long.toString(16L << 20), c.streams().get(BoundedRocksDbConfig.WRITE_BUFFER_BYTES));
    assertEquals(TopologyConfig.defaults(), c.topology());
    assertEquals(new ProcessorConfig.TopicSettings(true, 6), c.topics());
    assertEquals(Runtime.getRuntime().availableProcessors(), c.streams().get(StreamsConfig.NUM_STREAM_THREADS_CONFIG));
    assertEquals(Runtime.getRuntime().availableProcessors(),
        ProcessorConfig.parse("streamThreads: 0").streams().get(StreamsConfig.NUM_STREAM_THREADS_CONFIG));
    assertEquals(3, ProcessorConfig.parse("streamThreads: 3").streams().get(StreamsConfig.NUM_STREAM_THREADS_CONFIG));
  }

  @Test
  void shouldPauseUpToTenSecondsBetweenAttemptsToReachABrokerUnlessTheFileSaysOtherwise() {
    // Kafka's 1 s default logs ~2 WARN lines a second per client and broker while it is down
    assertEquals(10_000, ProcessorConfig.parse("{}").streams().get("reconnect.backoff.max.ms"));
    assertEquals("500",
        ProcessorConfig.parse("streams: {reconnect.backoff.max.ms: 500}").streams().get("reconnect.backoff.max.ms"));
  }

  @Test
  void shouldCompressEveryStoresFilesWithLz4() {
    try (org.rocksdb.Options a = new org.rocksdb.Options(); org.rocksdb.Options b = new org.rocksdb.Options()) {
      // as Kafka Streams hands them over: with a block-based table format
      a.setTableFormatConfig(new org.rocksdb.BlockBasedTableConfig());
      b.setTableFormatConfig(new org.rocksdb.BlockBasedTableConfig());
      new BoundedRocksDbConfig().setConfig("instance-series", a, java.util.Map.of());
      new BoundedRocksDbConfig().setConfig("service-windows", b, java.util.Map.of());
      assertEquals(org.rocksdb.CompressionType.LZ4_COMPRESSION, a.compressionType());
      assertEquals(org.rocksdb.CompressionType.LZ4_COMPRESSION, b.compressionType());
      assertTrue(a.writeBufferSize() > 0);
    }
  }

  @Test
  void shouldReadEverySectionOfTheSampleFile() throws Exception {
    Path sample = Path.of(System.getProperty("leakwatch.testdata")).resolveSibling("deploy").resolve("processor.yaml");
    List<String> warnings = new ArrayList<>();
    ProcessorConfig c = ProcessorConfig.load(sample, warnings::add);

    assertEquals(List.of(), warnings);
    assertEquals(Duration.ofMinutes(1), c.topology().windowSize());
    assertEquals(Duration.ofDays(7), c.topology().windowRetention());
    assertTrue(Files.readString(sample).contains("standbyReplicas"), "the sample documents standbys");
  }

  @Test
  void shouldLoadTheSamplesPassThroughExamplesWithoutComplaint() throws Exception {
    Path sample = Path.of(System.getProperty("leakwatch.testdata")).resolveSibling("deploy").resolve("processor.yaml");
    // the commented examples under serde: {} and streams: {}, uncommented into their sections
    String yaml = Files.readString(sample).replace("serde: {}", "serde:").replace("streams: {}", "streams:")
        .replaceAll("(?m)^#  ([a-z][\\w.]*: )", "  $1");
    List<String> warnings = new ArrayList<>();
    ProcessorConfig c = ProcessorConfig.parse(yaml, warnings::add);

    assertEquals(List.of(), warnings);
    assertEquals("SASL_SSL", c.streams().get("security.protocol"), "the examples were read");
    assertEquals("http://localhost:8081", c.topology().serdeConfig().get("schema.registry.url"));
  }

  /** Every pass-through key docs/PROCESSOR.md and docs/SCHEMAS.md name, with a value it accepts. */
  @Test
  void shouldLoadEveryDocumentedPassThroughKeyWithoutComplaint() {
    List<String> warnings = new ArrayList<>();
    ProcessorConfig.parse(String.join("\n", "serde:",
        "  schema.registry.url: 'http://sr:8081'", "  auto.register.schemas: false",
        "  basic.auth.user.info: 'u:p'", "  basic.auth.credentials.source: USER_INFO",
        "  bearer.auth.credentials.source: STATIC_TOKEN",
        "  schema.registry.ssl.truststore.location: /etc/leakwatch/registry-ca.p12",
        "  schema.registry.ssl.truststore.password: changeit", "  schema.registry.ssl.truststore.type: PKCS12",
        "  schema.registry.ssl.keystore.location: /etc/leakwatch/registry-client.pem",
        "  schema.registry.ssl.keystore.password: changeit", "  schema.registry.ssl.keystore.type: PEM",
        "  schema.registry.ssl.key.password: changeit",
        "  schema.registry.ssl.endpoint.identification.algorithm: ''",
        "  schema.registry.connect.timeout.ms: 5000",
        "  schema.registry.read.timeout.ms: 10000", "  schema.registry.cache.capacity: 1000",
        "  leakwatch.schema.registry.class: dev.leakwatch.schemas.registry.BundledSchemaRegistry",
        "  leakwatch.avro.reader.class: dev.leakwatch.schemas.avro.ProfileEnvelope",
        "streams:", "  security.protocol: SASL_SSL", "  sasl.mechanism: SCRAM-SHA-512",
        "  sasl.jaas.config: x", "  ssl.truststore.location: /etc/leakwatch/truststore.p12",
        "  application.server: 10.0.0.5:8080", "  producer.max.request.size: 33554432",
        "  topic.max.message.bytes: 33554432", "  producer.linger.ms: 50", "  producer.batch.size: 262144",
        "  consumer.fetch.min.bytes: 262144", "  consumer.fetch.max.wait.ms: 50",
        "  session.timeout.ms: 3000", "  heartbeat.interval.ms: 500", "  producer.transaction.timeout.ms: 5000",
        "  default.timestamp.extractor: org.apache.kafka.streams.processor.WallclockTimestampExtractor"),
        warnings::add);

    assertEquals(List.of(), warnings);
  }

  @Test
  void shouldParseSizesDurationsAndPassThroughClientSettings() {
    ProcessorConfig c = ProcessorConfig.parse(String.join("\n",
        "applicationId: lw",
        "standbyReplicas: 1",
        "rocksdb: {blockCacheBytes: 32MiB, writeBufferBytes: 4MiB}",
        "windows: {size: 30s, retention: 2d, maxStacks: 500}",
        "limits: {maxEnvelopeBytes: 1MiB, maxFutureSkew: PT2M,",
        "  decode: {maxSamples: 1000, maxLines: 5000, maxLabels: 6000, maxStringBytes: 32KiB}}",
        "detection: {updateInterval: 5m, resolveAfter: 1h}",
        "topics: {suspects: my.suspects, audit: ''}",
        "streams: {security.protocol: SSL}"));

    assertEquals(1, c.streams().get(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG));
    assertEquals("SSL", c.streams().get("security.protocol"));
    assertEquals(Long.toString(32L << 20), c.streams().get(BoundedRocksDbConfig.BLOCK_CACHE_BYTES));
    assertEquals(Long.toString(4L << 20), c.streams().get(BoundedRocksDbConfig.WRITE_BUFFER_BYTES));
    TopologyConfig t = c.topology();
    assertEquals(Duration.ofSeconds(30), t.windowSize());
    assertEquals(Duration.ofDays(2), t.windowRetention());
    assertEquals(500, t.maxStacksPerWindow());
    assertEquals(1L << 20, t.maxEnvelopeBytes());
    assertEquals(Duration.ofMinutes(2), t.maxFutureSkew());
    assertEquals(1000, t.decodeLimits().maxSamples());
    assertEquals(5000, t.decodeLimits().maxLines());
    assertEquals(6000, t.decodeLimits().maxLabels());
    assertEquals(32 << 10, t.decodeLimits().maxStringBytes(), "a size, as the other byte limits");
    assertEquals(Duration.ofMinutes(5), t.detection().updateInterval());
    assertEquals(Duration.ofHours(1), t.detection().resolveAfter());
    assertEquals("my.suspects", t.suspectsTopic());
    assertNull(t.auditTopic(), "an empty audit topic disables the audit");
  }

  @Test
  void shouldGiveEveryRecordRoomForTheLargestDeadLetterUnlessToldMore() {
    ProcessorConfig defaults = ProcessorConfig.parse("{}");
    // a dead letter carries an input of up to maxEnvelopeBytes, with 1 MiB for its key and headers
    int deadLetter = (int) defaults.topology().maxEnvelopeBytes() + (1 << 20);
    assertEquals(deadLetter, defaults.streams().get("producer.max.request.size"));
    assertEquals(deadLetter, defaults.streams().get("topic.max.message.bytes"));
    assertEquals(deadLetter, ProcessorConfig.maxRecordBytes(defaults.topology()));
    ProcessorConfig small = ProcessorConfig.parse("limits: {maxEnvelopeBytes: 1MiB}");
    assertEquals(16 << 20, small.streams().get("producer.max.request.size"), "never less than 16 MiB");

    ProcessorConfig told = ProcessorConfig.parse("streams: {producer.max.request.size: 33554432}");
    assertEquals("33554432", String.valueOf(told.streams().get("producer.max.request.size")));
    ConfigError e = assertThrows(ConfigError.class,
        () -> ProcessorConfig.parse("streams: {producer.max.request.size: 2097152}"));
    assertTrue(e.getMessage().contains("streams.producer.max.request.size"), e.getMessage());
    assertTrue(e.getMessage().contains("2097152 bytes is less than the largest record the processor writes, "
        + deadLetter), e.getMessage());
  }

  @Test
  void shouldBatchTheProcessorsRequestsUnlessToldOtherwise() {
    ProcessorConfig defaults = ProcessorConfig.parse("{}");
    assertEquals(50, defaults.streams().get("producer.linger.ms"));
    assertEquals(256 << 10, defaults.streams().get("producer.batch.size"));
    assertEquals(256 << 10, defaults.streams().get("consumer.fetch.min.bytes"));
    assertEquals(50, defaults.streams().get("consumer.fetch.max.wait.ms"));
    // and Kafka Streams hands them to its clients
    org.apache.kafka.streams.StreamsConfig streams = new org.apache.kafka.streams.StreamsConfig(defaults.streams());
    assertEquals(50, streams.getProducerConfigs("client").get("linger.ms"));
    assertEquals(256 << 10, streams.getMainConsumerConfigs("group", "client", 0).get("fetch.min.bytes"));

    ProcessorConfig told = ProcessorConfig.parse("streams: {producer.linger.ms: 5, consumer.fetch.min.bytes: 1}");
    assertEquals("5", String.valueOf(told.streams().get("producer.linger.ms")));
    assertEquals("1", String.valueOf(told.streams().get("consumer.fetch.min.bytes")));
  }

  @Test
  void shouldNameAMisspeltKey() {
    ConfigError e = assertThrows(ConfigError.class, () -> ProcessorConfig.parse("windows: {sise: 1m}"));
    assertTrue(e.getMessage().startsWith("windows.sise: unknown key (known: "), e.getMessage());
  }

  @Test
  void shouldNameAMalformedDuration() {
    ConfigError e = assertThrows(ConfigError.class, () -> ProcessorConfig.parse("detection: {resolveAfter: soon}"));
    assertEquals("detection.resolveAfter: 'soon' is not a duration (e.g. 500ms, 30s, 1m, 2h, 7d, PT1M)", e.getMessage());
  }

  @Test
  void shouldReadPerServiceDetectionRulesInOrderOverTheFilesDetectionSettings() {
    TopologyConfig t = ProcessorConfig.parse(String.join("\n",
        "detection:",
        "  warmup: 5m",
        "  minTrendZ: 4",
        "  services:",
        "    - match: [orders-*, billing]",
        "      warmup: 30m",
        "    - match: legacy-*",
        "      judge: false")).topology();

    DetectionPolicy p = t.detectionPolicy();
    assertEquals(2, p.rules().size());
    assertEquals(Duration.ofMinutes(30), p.configFor("orders-api").warmup());
    assertEquals(4.0, p.configFor("orders-api").minTrendZ(), "unset fields come from the detection section");
    assertEquals(Duration.ofMinutes(5), p.configFor("checkout").warmup());
    assertTrue(p.judges("billing"));
    assertFalse(p.judges("legacy-batch"));
    assertEquals(Duration.ofMinutes(5), t.detection().warmup(), "the base is the detection section");
  }

  @Test
  void shouldAcceptANarrowerRuleBeforeABroaderOne() {
    DetectionPolicy p = ProcessorConfig.parse(
        "detection: {services: [{match: [orders-api, orders-eu-*], judge: false}, {match: orders-*, warmup: 30m}]}")
        .topology().detectionPolicy();
    assertFalse(p.judges("orders-api"));
    assertFalse(p.judges("orders-eu-1"));
    assertEquals(Duration.ofMinutes(30), p.configFor("orders-web").warmup());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "detection: {services: [{warmup: 30m}]}|detection.services[0].match: required",
      "detection: {services: [{match: '', warmup: 30m}]}|detection.services[0].match: required",
      "detection: {services: [{match: 'a/b'}]}|detection.services[0].match: service pattern",
      "detection: {services: [{match: a}, {match: b, resolveAfter: 2h}]}|detection.services[1].resolveAfter: the same for every service",
      "detection: {services: [{match: a, windowCaptures: 96}]}|detection.services[0].windowCaptures: the same for every service",
      "detection: {services: [{match: a, warmpu: 30m}]}|detection.services[0].warmpu: unknown key",
      "detection: {services: [{match: a, minCaptures: 2}]}|detection.services[0].minCaptures: must be in [6, windowCaptures]",
      "detection: {services: [{match: a, warmup: soon}]}|detection.services[0].warmup: 'soon' is not a duration",
      "detection: {services: [{match: a, judge: maybe}]}|detection.services[0].judge: 'maybe' is not a boolean",
      "detection: {services: {match: a}}|detection.services: expected a list of mappings",
      "detection: {services: [a]}|detection.services[0]: expected a mapping",
      // an empty list item reads as the text 'null': refused rather than taken for a pattern
      "detection: {services: [{match: [orders-*, ~]}]}|detection.services[0].match[1]: an empty list item",
      "detection: {services: [{match: a}, {match: b, match: c}]}|detection.services[1].match: given twice",
      "detection: {services: [{match: a}, ~]}|detection.services[1]: an empty list item",
      // YAML reads these plain scalars as a number and a boolean, no longer the text written (007, no)
      "detection: {services: [{match: 007}]}|detection.services[0].match: read by YAML as the number 7, not as a name: quote it",
      "detection: {services: [{match: [a, no]}]}|detection.services[0].match[1]: read by YAML as the boolean false",
      // the first match wins: a pattern an earlier entry covers would never apply
      "detection: {services: [{match: a}, {match: a, judge: false}]}|detection.services[1].match: 'a' never applies: detection.services[0] ('a')",
      "detection: {services: [{match: [x, '*']}, {match: b}]}|detection.services[1].match: 'b' never applies: detection.services[0] ('*')",
      "detection: {services: [{match: orders-*}, {match: [b, orders-*-eu]}]}|detection.services[1].match: 'orders-*-eu' never applies: detection.services[0] ('orders-*')",
  })
  void shouldNameTheEntryAndKeyOfABadPerServiceRule(String yaml, String expectedStart) {
    ConfigError e = assertThrows(ConfigError.class, () -> ProcessorConfig.parse(yaml));
    assertTrue(e.getMessage().startsWith(expectedStart), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "detection: {minTrendZ: Infinity}|detection.minTrendZ: 'Infinity' is not a finite number",
      // YAML itself reads an unquoted 1e999 as the number Infinity
      "detection: {heapMinBytesPerHour: 1e999}|detection.heapMinBytesPerHour: 'Infinity' is not a finite number",
      "detection: {heapMinBytesPerHour: '1e999'}|detection.heapMinBytesPerHour: '1e999' is not a finite number",
      "detection: {services: [{match: a, minTrendZ: NaN}]}|detection.services[0].minTrendZ: 'NaN' is not a finite number",
  })
  void shouldRefuseANumberThatIsNotFinite(String yaml, String expected) {
    ConfigError e = assertThrows(ConfigError.class, () -> ProcessorConfig.parse(yaml));
    assertEquals(expected, e.getMessage());
  }

  @Test
  void shouldRefuseAnythingButExactlyOnce() {
    ConfigError e = assertThrows(ConfigError.class,
        () -> ProcessorConfig.parse("streams: {processing.guarantee: at_least_once}"));
    assertTrue(e.getMessage().startsWith("streams.processing.guarantee: Leakwatch requires exactly_once_v2"));
  }

  @Test
  void shouldRefuseStreamsPropertiesThatItsOwnKeysSetNamingTheKeyToUse() {
    for (String[] c : new String[][] {{"replication.factor: 3", "replicationFactor"},
        {"state.dir: /data", "stateDir"}, {"application.id: x", "applicationId"},
        {"num.stream.threads: 4", "streamThreads"}, {"commit.interval.ms: 1000", "commitInterval"},
        {"leakwatch.rocksdb.block.cache.bytes: 1000000", "rocksdb.blockCacheBytes"},
        {"leakwatch.rocksdb.write.buffer.bytes: 1000000", "rocksdb.writeBufferBytes"}}) {
      ConfigError e = assertThrows(ConfigError.class, () -> ProcessorConfig.parse("streams: {" + c[0] + "}"));
      String key = c[0].substring(0, c[0].indexOf(':'));
      assertEquals("streams." + key + ": is set by '" + c[1] + "'; give it there", e.getMessage());
    }
  }

  @Test
  void shouldRefuseRocksDbSizesThatAreNotPositive() {
    ConfigError e = assertThrows(ConfigError.class, () -> ProcessorConfig.parse("rocksdb: {blockCacheBytes: 0}"));
    assertEquals("rocksdb.blockCacheBytes: 0 bytes; must be positive", e.getMessage());
  }

  @Test
  void shouldRefuseAWriteBufferLargerThanTheCache() {
    ConfigError e = assertThrows(ConfigError.class,
        () -> ProcessorConfig.parse("rocksdb: {blockCacheBytes: 8MiB, writeBufferBytes: 16MiB}"));
    assertEquals("rocksdb.writeBufferBytes: 16777216 bytes exceeds blockCacheBytes 8388608"
        + " (memtables are charged to the cache)", e.getMessage());
  }

  @Test
  void shouldReadTheWarmupSettingsLikeEveryOtherDetectionField() {
    ProcessorConfig c = ProcessorConfig.parse("detection: {warmup: 20m, warmupQuietSignificance: 0.01}");

    assertEquals(Duration.ofMinutes(20), c.topology().detection().warmup());
    assertEquals(0.01, c.topology().detection().warmupQuietSignificance());
  }

  @Test
  void shouldNameTheKeyOfAValueOutsideItsRange() {
    String[][] cases = {
        {"windows: {size: 500ms}", "windows.size: must be at least 1 s"},
        {"windows: {size: 10m, retention: 5m}", "windows.retention: must be at least windowSize"},
        {"windows: {maxStacks: 0}", "windows.maxStacks: must be positive"},
        {"windows: {maxStacks: 100001}",
            "windows.maxStacks: must be at most 100000, the most a stored window is read back with"},
        {"limits: {decode: {maxStringBytes: 65537}}", "limits.decode.maxStringBytes: must be at most 65536,"
            + " the longest function or file name the state stores read back"},
        {"limits: {decode: {maxStringBytes: 4GiB}}", "limits.decode.maxStringBytes: must be at most 65536,"
            + " the longest function or file name the state stores read back"},
        {"limits: {decode: {maxStackDepth: 1025}}",
            "limits.decode.maxStackDepth: must be at most 1024, the deepest stack the state stores read back"},
        {"topics: {profiles: 'bad name!'}", "topics.profiles: 'bad name!' is not a legal Kafka topic name"},
        {"topics: {partitions: 0}", "topics.partitions: 0; must be at least 1"},
        {"lifecycleTick: 10ms", "lifecycleTick: must be at least 1 s"},
        {"limits: {decode: {maxSamples: 0}}", "limits.decode.maxSamples: must be positive, got 0"},
        {"detection: {windowCaptures: 3}", "detection.windowCaptures: must be in [6, 256]"},
        {"detection: {heapMinBytesPerHour: -1}", "detection.heapMinBytesPerHour: must not be negative"},
        {"detection: {resolveAfter: 0s}", "detection.resolveAfter: must be positive"},
        {"detection: {warmupQuietSignificance: 1.5}", "detection.warmupQuietSignificance: must be in (0, 1)"},
        {"http: {maxRange: 10ms}", "http.maxRange: must be >= 1s, not 10ms"},
        {"http: {maxPeerResponseBytes: 10}", "http.maxPeerResponseBytes: must be >= 1 KiB, not 10 bytes"},
        {"streamThreads: -1", "streamThreads: -1; must not be negative"},
    };
    for (String[] c : cases) {
      ConfigError e = assertThrows(ConfigError.class, () -> ProcessorConfig.parse(c[0]), c[0]);
      assertEquals(c[1], e.getMessage(), c[0]);
    }
  }

  @Test
  void shouldRefuseSerdeSettingsUnderStreamsWhereNoSerdeReadsThem() {
    ConfigError e = assertThrows(ConfigError.class,
        () -> ProcessorConfig.parse("streams: {schema.registry.url: 'http://sr:8081'}"));
    assertEquals("streams.schema.registry.url: is a serde setting; give it as 'serde.schema.registry.url'",
        e.getMessage());

    ProcessorConfig c = ProcessorConfig.parse("serde: {schema.registry.url: 'http://sr:8081'}");
    assertEquals("http://sr:8081", c.topology().serdeConfig().get("schema.registry.url"));
  }
}
