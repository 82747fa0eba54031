package dev.leakwatch.topology;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.processor.ProcessorConfig;
import dev.leakwatch.processor.ProcessorRuntime;
import dev.leakwatch.processor.TopicBootstrap;
import dev.leakwatch.schemas.avro.LeakSuspect;
import dev.leakwatch.schemas.serde.LeakwatchSerdes;
import dev.leakwatch.testing.TestBroker;
import dev.leakwatch.topology.eval.CorpusScenario;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two processor instances on a real KRaft broker share the input; one (a separate JVM) is killed
 * with SIGKILL mid-stream; the survivor takes over its partitions. Every input record ends up
 * processed (audit topic) or dead-lettered, exactly once as seen by read_committed consumers, and
 * no suspect event is duplicated.
 */
class ProcessorFailoverTest {

  private static final String APP = "leakwatch-failover-test";
  private static final int PARTITIONS = 4;

  /** Under target/, not /tmp: Streams warns about state dirs the OS may clean. */
  private static Path temp;
  private static KafkaClusterTestKit cluster;

  @BeforeAll
  static void startBroker() throws Exception {
    temp = java.nio.file.Files.createTempDirectory(
        java.nio.file.Files.createDirectories(Path.of("target", "failover-test")), "run");
    cluster = TestBroker.start(temp.resolve("kafka"), Map.of("group.min.session.timeout.ms", "1000",
        "transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000"));
  }

  @AfterAll
  static void stopBroker() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void shouldAccountForEveryProfileAndDuplicateNoSuspectWhenAnInstanceIsKilledMidStream() throws Exception {
    List<ProducerRecord<byte[], byte[]>> input = input();
    ProcessorConfig configB = ProcessorConfig.parse(yaml("b"));
    TopicBootstrap.ensureTopics(configB);
    TopologyConfig topics = configB.topology();

    Process child = startChild(yaml("a"));
    AtomicReference<String> childState = watchChild(child);
    try (ProcessorRuntime survivor = new ProcessorRuntime(configB);
        Admin admin = cluster.admin();
        TopicReader audit = new TopicReader(cluster.bootstrapServers(), topics.auditTopic());
        TopicReader deadLetters = new TopicReader(cluster.bootstrapServers(), topics.deadLetterTopic());
        TopicReader suspects = new TopicReader(cluster.bootstrapServers(), topics.suspectsTopic());
        KafkaProducer<byte[], byte[]> producer = producer()) {
      await().atMost(Duration.ofSeconds(60)).until(() -> "RUNNING".equals(childState.get()));
      survivor.start();
      await().atMost(Duration.ofSeconds(60)).until(() -> bothInstancesHoldInputPartitions(admin, topics));

      int half = input.size() / 2;
      List<Position> produced = new ArrayList<>();
      for (ProducerRecord<byte[], byte[]> r : input.subList(0, half)) {
        produced.add(Position.of(producer.send(r).get()));
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> accounted(audit, deadLetters).size() >= half / 2);
      child.destroyForcibly().waitFor();

      for (ProducerRecord<byte[], byte[]> r : input.subList(half, input.size())) {
        produced.add(Position.of(producer.send(r).get()));
      }
      await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
          .until(() -> accounted(audit, deadLetters).containsAll(produced));

      assertEquals(KafkaStreams.State.RUNNING, survivor.state());
      assertEquals(allInputPartitions(topics), inputPartitionsOf(survivor), "the survivor took over");
      List<Position> processed = audit.records().stream().map(r -> Position.parse(r.value())).toList();
      List<Position> dead = deadLetters.records().stream().map(Position::ofDeadLetter).toList();
      assertEquals(processed.size(), new HashSet<>(processed).size(), "no input processed twice");
      assertEquals(3, dead.size(), "the three garbage records, once each");
      Set<Position> all = new HashSet<>(processed);
      all.addAll(dead);
      assertEquals(new HashSet<>(produced), all, "every input accounted for, nothing else");

      // Suspects come from the downstream sub-topology, after the repartition: wait for both leaks.
      List<String> heapSites = Fixtures.scenario("G").leakSiteFunctions();
      List<String> goroutineSites = Fixtures.scenario("H").leakSiteFunctions();
      await().atMost(Duration.ofSeconds(60)).until(() -> {
        List<LeakSuspect> seen = suspectEvents(suspects);
        return seen.stream().anyMatch(e -> LeakwatchTopologyTest.blames(e, heapSites))
            && seen.stream().anyMatch(e -> LeakwatchTopologyTest.blames(e, goroutineSites));
      });
      List<LeakSuspect> events = suspectEvents(suspects);
      List<String> identities = events.stream()
          .map(e -> e.getSuspectId() + " " + e.getStatus() + " " + e.getDetectedAt()).toList();
      assertEquals(identities.size(), new HashSet<>(identities).size(), "no duplicated event: " + identities);
      LeakwatchTopologyTest.assertNoDuplicateOpen(events);
    } finally {
      child.destroyForcibly();
    }
  }

  /** G (heap leak, with a restart), H (goroutine leak) and M (churn), in capture order, plus 3 bad records. */
  private static List<ProducerRecord<byte[], byte[]>> input() {
    var serializer = LeakwatchSerdes.profileEnvelope(Map.of(), false).serializer();
    List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
    List<Object[]> captures = new ArrayList<>();
    for (String id : List.of("G", "H", "M")) {
      CorpusScenario s = Fixtures.scenario(id);
      s.captures().forEach(c -> captures.add(new Object[] {s.service(), c}));
    }
    captures.sort(Comparator.comparingLong(o -> ((CorpusScenario.Capture) o[1]).captureMs()));
    for (Object[] o : captures) {
      String service = (String) o[0];
      CorpusScenario.Capture c = (CorpusScenario.Capture) o[1];
      byte[] key = DecodedProfile.instanceKey(service, c.instance()).getBytes(StandardCharsets.UTF_8);
      byte[] value = serializer.serialize(TopologyNames.PROFILES_TOPIC, Fixtures.envelope(service, c, c.captureMs()));
      out.add(new ProducerRecord<>(TopologyNames.PROFILES_TOPIC, null, c.captureMs(), key, value));
    }
    for (int i = 1; i <= 3; i++) {
      ProducerRecord<byte[], byte[]> first = out.get(i * out.size() / 4);
      out.add(i * out.size() / 4, new ProducerRecord<>(TopologyNames.PROFILES_TOPIC, null, first.timestamp(),
          first.key(), ("garbage " + i).getBytes(StandardCharsets.UTF_8)));
    }
    return out;
  }

  private static String yaml(String instance) {
    return String.join("\n",
        "applicationId: " + APP,
        "bootstrapServers: " + cluster.bootstrapServers(),
        "stateDir: " + temp.resolve("state-" + instance),
        "commitInterval: 200ms",
        "topics:",
        "  partitions: " + PARTITIONS,
        "lifecycleTick: 5s",
        "rocksdb:",
        "  blockCacheBytes: 16MiB",
        "http:",
        "  port: 0",
        "streams:",
        "  session.timeout.ms: 3000",
        "  heartbeat.interval.ms: 500",
        "  producer.transaction.timeout.ms: 5000",
        "");
  }

  private static Process startChild(String yaml) throws IOException {
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", classpath,
        ProcessorChild.class.getName(), yaml)
        .redirectError(temp.resolve("child.stderr").toFile())
        .start();
  }

  /** Follows the child's {@code STATE x} lines. */
  private static AtomicReference<String> watchChild(Process child) {
    AtomicReference<String> state = new AtomicReference<>("");
    Thread t = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          if (line.startsWith("STATE ")) {
            state.set(line.substring(6).trim());
          }
        }
      } catch (IOException e) {
        state.set("GONE");
      }
    }, "child-stdout");
    t.setDaemon(true);
    t.start();
    return state;
  }

  private static boolean bothInstancesHoldInputPartitions(Admin admin, TopologyConfig topics) throws Exception {
    ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(APP)).all().get().get(APP);
    if (group.groupState() != GroupState.STABLE || group.members().size() != 2) {
      return false;
    }
    for (MemberDescription m : group.members()) {
      if (m.assignment().topicPartitions().stream().noneMatch(tp -> tp.topic().equals(topics.profilesTopic()))) {
        return false;
      }
    }
    return true;
  }

  private static Set<TopicPartition> allInputPartitions(TopologyConfig topics) {
    Set<TopicPartition> all = new HashSet<>();
    for (int p = 0; p < PARTITIONS; p++) {
      all.add(new TopicPartition(topics.profilesTopic(), p));
    }
    return all;
  }

  private static Set<TopicPartition> inputPartitionsOf(ProcessorRuntime runtime) {
    return runtime.streams().metadataForLocalThreads().stream()
        .map(ThreadMetadata::activeTasks).flatMap(Set::stream)
        .map(TaskMetadata::topicPartitions).flatMap(Set::stream)
        .filter(tp -> tp.topic().equals(TopologyNames.PROFILES_TOPIC))
        .collect(Collectors.toSet());
  }

  private static Set<Position> accounted(TopicReader audit, TopicReader deadLetters) {
    Set<Position> out = new HashSet<>();
    audit.poll().forEach(r -> out.add(Position.parse(r.value())));
    deadLetters.poll().forEach(r -> out.add(Position.ofDeadLetter(r)));
    return out;
  }

  private static List<LeakSuspect> suspectEvents(TopicReader suspects) {
    var deserializer = LeakwatchSerdes.leakSuspect(Map.of(), false).deserializer();
    return suspects.poll().stream().map(r -> deserializer.deserialize(r.topic(), r.valueBytes())).toList();
  }

  private static KafkaProducer<byte[], byte[]> producer() {
    return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
        ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer());
  }
}
