package dev.leakwatch.http;

import static org.awaitility.Awaitility.await;

import dev.leakwatch.processor.ProcessorConfig;
import dev.leakwatch.processor.ProcessorRuntime;
import dev.leakwatch.processor.TopicBootstrap;
import dev.leakwatch.schemas.serde.LeakwatchSerdes;
import dev.leakwatch.testing.CaughtUp;
import dev.leakwatch.testing.TestBroker;
import dev.leakwatch.topology.Fixtures;
import dev.leakwatch.topology.TopologyNames;
import dev.leakwatch.topology.eval.CorpusScenario;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsMetadata;

/**
 * A real KRaft broker (in process) and two processor instances of one application, each with its
 * own state directory and HTTP port, answering queries with a bearer token.
 */
final class TwoProcessors implements AutoCloseable {

  static final String APP = "leakwatch-query-test";
  static final int PARTITIONS = 4;
  static final long WINDOW_MS = 5_000;

  final KafkaClusterTestKit cluster;
  final ProcessorRuntime a;
  final ProcessorRuntime b;
  final String token;
  /** The configuration files of a and b, when {@link #startFromFiles} wrote them; else empty. */
  final List<Path> files;

  private TwoProcessors(KafkaClusterTestKit cluster, ProcessorRuntime a, ProcessorRuntime b, String token,
      List<Path> files) {
    this.cluster = cluster;
    this.a = a;
    this.b = b;
    this.token = token;
    this.files = files;
  }

  /** {@link #start}, then waits until both instances hold input and repartition partitions. */
  static TwoProcessors startSharingTheWork(String token) throws Exception {
    return startSharingTheWork(token, "");
  }

  /** As {@link #startSharingTheWork(String)}, with {@code extraYaml} (top-level keys) added to both files. */
  static TwoProcessors startSharingTheWork(String token, String extraYaml) throws Exception {
    TwoProcessors run = start(token, extraYaml, false);
    await().atMost(Duration.ofSeconds(60)).until(run::sharingTheWork);
    return run;
  }

  /**
   * As {@link #startSharingTheWork(String, String)}, each instance loading its configuration from a file of
   * its own ({@link #files}), as the {@code processor} command does: the instances re-read their rules.
   */
  static TwoProcessors startFromFiles(String token, String extraYaml) throws Exception {
    TwoProcessors run = start(token, extraYaml, true);
    await().atMost(Duration.ofSeconds(60)).until(run::sharingTheWork);
    return run;
  }

  /**
   * The envelope an agent publishes for heap capture {@code file} of the recorded set {@code
   * sites-300} (testdata/bench, recorded from the Go runtime), serialized.
   */
  static byte[] benchHeapEnvelope(String service, String instance, int file, long captureMs) {
    Path profile = Fixtures.corpus().resolveSibling("bench").resolve("sites-300")
        .resolve(String.format("%04d-heap.pb.gz", file));
    return LeakwatchSerdes.profileEnvelope(Map.of(), false).serializer().serialize(TopologyNames.PROFILES_TOPIC,
        Fixtures.envelope(service, new CorpusScenario.Capture(instance, "heap", captureMs, profile), captureMs));
  }

  static TwoProcessors start(String token) throws Exception {
    return start(token, "", false);
  }

  private static TwoProcessors start(String token, String extraYaml, boolean fromFiles) throws Exception {
    Path temp = Files.createTempDirectory(Files.createDirectories(Path.of("target", "query-test")), "run");
    KafkaClusterTestKit cluster = TestBroker.start(temp.resolve("kafka"), Map.of());
    List<Path> files = new ArrayList<>();
    List<ProcessorConfig> configs = new ArrayList<>();
    for (String instance : List.of("a", "b")) {
      String text = yaml(cluster, temp, instance, token) + extraYaml;
      if (fromFiles) {
        files.add(Files.writeString(temp.resolve(instance + ".yaml"), text));
        configs.add(ProcessorConfig.load(files.get(files.size() - 1)));
      } else {
        configs.add(ProcessorConfig.parse(text));
      }
    }
    TopicBootstrap.ensureTopics(configs.get(0));
    ProcessorRuntime a = new ProcessorRuntime(configs.get(0));
    ProcessorRuntime b = new ProcessorRuntime(configs.get(1));
    a.start();
    b.start();
    return new TwoProcessors(cluster, a, b, token, List.copyOf(files));
  }

  private static String yaml(KafkaClusterTestKit cluster, Path temp, String instance, String token) {
    return String.join("\n",
        "applicationId: " + APP,
        "bootstrapServers: " + cluster.bootstrapServers(),
        "stateDir: " + temp.resolve("state-" + instance),
        "commitInterval: 200ms",
        "topics:",
        "  partitions: " + PARTITIONS,
        "windows:",
        "  size: " + WINDOW_MS + "ms",
        "  retention: 1d",
        "lifecycleTick: 5s",
        "rocksdb:",
        "  blockCacheBytes: 16MiB",
        "http:",
        "  port: 0",
        "  tokens: [" + token + "]",
        "streams:",
        "  session.timeout.ms: 6000",
        "  heartbeat.interval.ms: 500",
        "");
  }

  /** Both instances RUNNING, each holding input and repartition partitions, and agreeing on it. */
  boolean sharingTheWork() {
    return running(a) && running(b) && holdsPartitions(a) && holdsPartitions(b);
  }

  private static boolean running(ProcessorRuntime r) {
    return r.state() == KafkaStreams.State.RUNNING;
  }

  private static boolean holdsPartitions(ProcessorRuntime r) {
    java.util.Collection<StreamsMetadata> all = r.streams().metadataForAllStreamsClients();
    return all.size() == 2 && all.stream().allMatch(m -> m.topicPartitions().stream()
        .anyMatch(tp -> tp.topic().equals(TopologyNames.PROFILES_TOPIC))
        && m.topicPartitions().stream().anyMatch(tp -> tp.topic().endsWith("-repartition")));
  }

  /**
   * Whether both processors' every stage holds every capture of {@code s} ({@link CaughtUp}): what a
   * set-up awaits before asserting on answers that more than one stage makes.
   */
  boolean holdsEveryCapture(CorpusScenario s) {
    return holdsEveryCapture(s.service(), s.captures());
  }

  /** The same for {@code captures} published under {@code service}. */
  boolean holdsEveryCapture(String service, List<CorpusScenario.Capture> captures) {
    return CaughtUp.holdsEveryCapture(service, captures, path -> {
      var r = ApiClient.get(a.httpPort(), path, token);
      return r.statusCode() == 200 ? ApiClient.json(r) : null;
    });
  }

  /** Publishes every capture of the scenarios, in capture-time order, as agents would. */
  void publish(List<CorpusScenario> scenarios) throws Exception {
    publish(scenarios, c -> Map.of());
  }

  /** The same, each envelope carrying the labels {@code labels} gives its capture. */
  void publish(List<CorpusScenario> scenarios, java.util.function.Function<CorpusScenario.Capture, Map<String, String>> labels)
      throws Exception {
    var serializer = LeakwatchSerdes.profileEnvelope(Map.of(), false).serializer();
    List<Object[]> captures = new ArrayList<>();
    for (CorpusScenario s : scenarios) {
      s.captures().forEach(c -> captures.add(new Object[] {s.service(), c}));
    }
    captures.sort(Comparator.comparingLong(o -> ((CorpusScenario.Capture) o[1]).captureMs()));
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 20 << 20), new ByteArraySerializer(), new ByteArraySerializer())) {
      for (Object[] o : captures) {
        String service = (String) o[0];
        CorpusScenario.Capture c = (CorpusScenario.Capture) o[1];
        byte[] key = (service + "/" + c.instance()).getBytes(StandardCharsets.UTF_8);
        var envelope = Fixtures.envelope(service, c, c.captureMs());
        envelope.setLabels(new java.util.HashMap<>(labels.apply(c)));
        byte[] value = serializer.serialize(TopologyNames.PROFILES_TOPIC, envelope);
        producer.send(new ProducerRecord<>(TopologyNames.PROFILES_TOPIC, null, c.captureMs(), key, value));
      }
      producer.flush();
    }
  }

  @Override
  public void close() throws Exception {
    try (KafkaClusterTestKit c = cluster) {
      try (ProcessorRuntime x = a; ProcessorRuntime y = b) {
        // closed in reverse order; both leave the group
      }
    }
  }
}
