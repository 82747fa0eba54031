package dev.leakwatch.topology;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leakwatch.processor.ProcessorConfig;
import dev.leakwatch.processor.ProcessorRuntime;
import dev.leakwatch.processor.TopicBootstrap;
import dev.leakwatch.schemas.avro.LeakSuspect;
import dev.leakwatch.testing.TestBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    List<ProducerRecord<byte[], byte[]>> input = CorpusRecords.withGarbage(CorpusRecords.inCaptureOrder(List.of("G", "H", "M")), 3);
    ProcessorConfig configB = ProcessorConfig.parse(yaml("b"));
    TopicBootstrap.ensureTopics(configB);
    TopologyConfig topics = configB.topology();

    try (ChildProcessor child = ChildProcessor.start(yaml("a"), temp.resolve("child.stderr"));
        ProcessorRuntime survivor = new ProcessorRuntime(configB);
        Admin admin = cluster.admin();
        ProcessorOutputs outputs = new ProcessorOutputs(cluster.bootstrapServers(), topics);
        KafkaProducer<byte[], byte[]> producer = producer()) {
      await().atMost(Duration.ofSeconds(60)).until(child::running);
      survivor.start();
      await().atMost(Duration.ofSeconds(60)).until(() -> bothInstancesHoldInputPartitions(admin, topics));

      int half = input.size() / 2;
      List<Position> produced = new ArrayList<>();
      for (ProducerRecord<byte[], byte[]> r : input.subList(0, half)) {
        produced.add(Position.of(producer.send(r).get()));
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> outputs.accounted().size() >= half / 2);
      child.kill();

      for (ProducerRecord<byte[], byte[]> r : input.subList(half, input.size())) {
        produced.add(Position.of(producer.send(r).get()));
      }
      await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
          .until(() -> outputs.accounted().containsAll(produced));

      assertEquals(KafkaStreams.State.RUNNING, survivor.state());
      assertEquals(allInputPartitions(topics), inputPartitionsOf(survivor), "the survivor took over");
      List<Position> processed = outputs.processed();
      List<Position> dead = outputs.deadLettered();
      assertEquals(processed.size(), new HashSet<>(processed).size(), "no input processed twice");
      assertEquals(3, dead.size(), "the three garbage records, once each");
      Set<Position> all = new HashSet<>(processed);
      all.addAll(dead);
      assertEquals(new HashSet<>(produced), all, "every input accounted for, nothing else");

      // Suspects come from the downstream sub-topology, after the repartition: wait for both leaks.
      List<String> heapSites = Fixtures.scenario("G").leakSiteFunctions();
      List<String> goroutineSites = Fixtures.scenario("H").leakSiteFunctions();
      await().atMost(Duration.ofSeconds(60)).until(() -> {
        List<LeakSuspect> seen = outputs.suspectEvents();
        return seen.stream().anyMatch(e -> LeakwatchTopologyTest.blames(e, heapSites))
            && seen.stream().anyMatch(e -> LeakwatchTopologyTest.blames(e, goroutineSites));
      });
      List<LeakSuspect> events = outputs.suspectEvents();
      List<String> identities = events.stream()
          .map(e -> e.getSuspectId() + " " + e.getStatus() + " " + e.getDetectedAt()).toList();
      assertEquals(identities.size(), new HashSet<>(identities).size(), "no duplicated event: " + identities);
      LeakwatchTopologyTest.assertNoDuplicateOpen(events);
    }
  }

  private static String yaml(String instance) {
    return ProcessorYaml.failover(APP, cluster.bootstrapServers(), temp.resolve("state-" + instance), PARTITIONS);
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

  private static KafkaProducer<byte[], byte[]> producer() {
    return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
        ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer());
  }
}
