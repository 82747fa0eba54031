package dev.leakwatch.ui;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.leakwatch.processor.ProcessorConfig;
import dev.leakwatch.processor.ProcessorRuntime;
import dev.leakwatch.processor.TopicBootstrap;
import dev.leakwatch.schemas.avro.IngestSource;
import dev.leakwatch.schemas.avro.ProfileEnvelope;
import dev.leakwatch.schemas.avro.ProfileType;
import dev.leakwatch.schemas.serde.LeakwatchSerdes;
import dev.leakwatch.topology.TopologyNames;
import dev.leakwatch.topology.eval.CorpusReader;
import dev.leakwatch.topology.eval.CorpusScenario;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The demo's data behind a real processor: an in-process KRaft broker and one processor (real
 * RocksDB, its HTTP server with a bearer token) fed every capture of the recorded corpus ({@code
 * testdata/corpus}, system property {@code leakwatch.testdata}; skipped when absent) as agents
 * would publish them, at their recorded capture times.
 */
final class DemoProcessor implements AutoCloseable {

  static final String TOKEN = "ui-test-token";

  final List<CorpusScenario> scenarios;
  private final KafkaClusterTestKit cluster;
  private final ProcessorRuntime processor;

  private DemoProcessor(List<CorpusScenario> scenarios, KafkaClusterTestKit cluster, ProcessorRuntime processor) {
    this.scenarios = scenarios;
    this.cluster = cluster;
    this.processor = processor;
  }

  /** The recorded corpus, or a skipped test when this checkout has none. */
  static List<CorpusScenario> corpus() {
    String root = System.getProperty("leakwatch.testdata");
    assumeTrue(root != null, "system property leakwatch.testdata not set");
    Path corpus = Path.of(root, "corpus");
    assumeTrue(Files.isDirectory(corpus), "no recorded corpus at " + corpus);
    return CorpusReader.read(corpus);
  }

  static DemoProcessor start(List<CorpusScenario> scenarios) throws Exception {
    Path temp = Files.createTempDirectory(Files.createDirectories(Path.of("target", "ui-test")), "run");
    TestKitNodes nodes = new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1)
        .setNumControllerNodes(1).setBaseDirectory(temp.resolve("kafka")).build();
    KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(nodes)
        .setConfigProp("offsets.topic.replication.factor", "1")
        .setConfigProp("transaction.state.log.replication.factor", "1")
        .setConfigProp("transaction.state.log.min.isr", "1")
        .setConfigProp("group.initial.rebalance.delay.ms", "0")
        .build();
    ProcessorRuntime processor = null;
    try {
      cluster.format();
      cluster.startup();
      cluster.waitForReadyBrokers();
      ProcessorConfig config = ProcessorConfig.parse(String.join("\n",
          "applicationId: leakwatch-ui-test",
          "bootstrapServers: " + cluster.bootstrapServers(),
          "stateDir: " + temp.resolve("state"),
          "commitInterval: 200ms",
          "topics:",
          "  partitions: 2",
          "windows:",
          "  size: 5000ms",
          "  retention: 7d",
          "lifecycleTick: 5s",
          // a rule for a service that does not leak: it changes nothing detection reports here
          "detection:",
          "  services:",
          "    - match: [billing-*]",
          "      warmup: 10m",
          "rocksdb:",
          "  blockCacheBytes: 16MiB",
          "http:",
          "  port: 0",
          "  tokens: [" + TOKEN + "]",
          ""));
      TopicBootstrap.ensureTopics(config);
      processor = new ProcessorRuntime(config);
      processor.start();
      return new DemoProcessor(scenarios, cluster, processor);
    } catch (Exception | Error e) {
      if (processor != null) {
        processor.close();
      }
      cluster.close();
      throw e;
    }
  }

  boolean running() {
    return processor.state() == KafkaStreams.State.RUNNING;
  }

  int port() {
    return processor.httpPort();
  }

  /** Every capture of every scenario, oldest first, keyed {@code service/instance} like the agent's. */
  void publishAll() {
    Serializer<ProfileEnvelope> serializer = LeakwatchSerdes.profileEnvelope(Map.of(), false).serializer();
    record Item(String service, CorpusScenario.Capture capture) {}
    List<Item> items = scenarios.stream().flatMap(s -> s.captures().stream().map(c -> new Item(s.service(), c)))
        .sorted(Comparator.comparingLong((Item i) -> i.capture().captureMs())).toList();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 20 << 20), new ByteArraySerializer(), new ByteArraySerializer())) {
      for (Item i : items) {
        CorpusScenario.Capture c = i.capture();
        ProfileEnvelope envelope = ProfileEnvelope.newBuilder().setService(i.service()).setInstance(c.instance())
            .setProfileType(ProfileType.valueOf(c.type().toUpperCase(Locale.ROOT)))
            .setCaptureTime(Instant.ofEpochMilli(c.captureMs())).setSource(IngestSource.REPLAY)
            .setProfile(ByteBuffer.wrap(readAll(c.file()))).build();
        producer.send(new ProducerRecord<>(TopologyNames.PROFILES_TOPIC, null, c.captureMs(),
            (i.service() + "/" + c.instance()).getBytes(StandardCharsets.UTF_8),
            serializer.serialize(TopologyNames.PROFILES_TOPIC, envelope)));
      }
      producer.flush();
    }
  }

  private static byte[] readAll(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try (KafkaClusterTestKit c = cluster) {
      processor.close();
    } catch (Exception e) {
      throw new IllegalStateException("closing the test broker failed", e);
    }
  }
}
