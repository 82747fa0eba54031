package dev.leakwatch.processor;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.testing.TestBroker;
import dev.leakwatch.topology.Position;
import dev.leakwatch.topology.ProcessorYaml;
import dev.leakwatch.topology.TopicReader;
import dev.leakwatch.topology.TopologyNames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/**
 * Why the processor refuses to start on a dead-letter topic too small for its dead letters
 * ({@link TopicRoom}), and what the runbook (docs/OPERATIONS.md, "Topic record limits") promises,
 * on a real broker under exactly-once: a dead letter the broker refuses stops the processor at its
 * input, again after a restart; once the topic is raised, a restart dead-letters it and goes on. The
 * start check is bypassed for the failing starts, as a topic lowered while the processor runs bypasses
 * it; the last start passes it. The dead letters are read as an alerting consumer (or {@code
 * ./leakwatch dead-letters}) reads them: one read_committed reader tailing the topic throughout, which
 * sees none of the failed attempts and the dead letter once it is written.
 */
class RefusedDeadLetterTest {

  @Test
  void shouldStopAtTheSameInputAfterARestartUntilTheTopicIsRaisedThenDeadLetterItAndGoOn() throws Exception {
    Path temp = Files.createTempDirectory(Files.createDirectories(Path.of("target", "refused-dead-letter")), "run");
    // ProcessorYaml's session timeout (3 s) is below the broker's default minimum
    try (KafkaClusterTestKit cluster = TestBroker.start(temp.resolve("kafka"),
            Map.of("group.min.session.timeout.ms", "1000"));
        Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
      ProcessorConfig config = ProcessorConfig.parse(
          ProcessorYaml.failover("refused-dead-letter", cluster.bootstrapServers(), temp.resolve("state"), 1));
      long room = ProcessorConfig.maxRecordBytes(config.topology());
      // the dead-letter topic made with the broker's default (1 MB); the others as the processor makes them
      admin.createTopics(List.of(new NewTopic(TopologyNames.DEAD_LETTER_TOPIC, 1, (short) 1))).all().get();
      for (String topic : List.of(TopologyNames.PROFILES_TOPIC, TopologyNames.SUSPECTS_TOPIC,
          TopologyNames.AUDIT_TOPIC)) {
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)
            .configs(Map.of("max.message.bytes", Long.toString(room))))).all().get();
      }
      byte[] garbage = new byte[3 << 20]; // not Avro: its dead letter carries it whole
      garbage[0] = 0x7f;
      Position bad;
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
          ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 << 20),
          new ByteArraySerializer(), new ByteArraySerializer())) {
        bad = Position.of(producer.send(new ProducerRecord<>(TopologyNames.PROFILES_TOPIC, 0,
            System.currentTimeMillis(), "svc/i1".getBytes(StandardCharsets.UTF_8), garbage)).get(30, TimeUnit.SECONDS));
      }

      TopicReader tail = new TopicReader(cluster.bootstrapServers(), TopologyNames.DEAD_LETTER_TOPIC);
      for (int start = 0; start < 2; start++) {
        try (ProcessorRuntime runtime = new ProcessorRuntime(config)) {
          runtime.start();
          await().atMost(Duration.ofSeconds(90)).until(() -> {
            tail.poll(); // tailing through the failed attempts, as a consumer left running does
            return runtime.state() == KafkaStreams.State.ERROR;
          });
          Throwable failure = runtime.awaitTermination();
          assertTrue(hasCause(failure, RecordTooLargeException.class), "start " + start + ": " + failure);
        }
      }
      assertEquals(List.of(), tail.pollToEnd(), "the failed attempts wrote nothing a read_committed reader sees");

      ConfigResource deadLetters = new ConfigResource(ConfigResource.Type.TOPIC, TopologyNames.DEAD_LETTER_TOPIC);
      admin.incrementalAlterConfigs(Map.of(deadLetters, List.of(new AlterConfigOp(
          new ConfigEntry("max.message.bytes", Long.toString(room)), AlterConfigOp.OpType.SET)))).all().get();
      // the broker applies a topic's new configuration asynchronously: start once it is in force
      await().atMost(Duration.ofSeconds(30)).ignoreExceptionsInstanceOf(IllegalStateException.class)
          .untilAsserted(() -> TopicBootstrap.ensureTopics(config));
      try (ProcessorRuntime runtime = new ProcessorRuntime(config); tail) {
        runtime.start();
        // the reader made before this start, positioned past the failed attempts' abort markers
        await().atMost(Duration.ofSeconds(90))
            .until(() -> tail.poll().stream().map(Position::ofDeadLetter).toList().contains(bad));
        // it goes on: the group may still be settling (REBALANCING) when the first commit is read
        await().atMost(Duration.ofSeconds(60)).until(() -> runtime.state() == KafkaStreams.State.RUNNING);
      }
    }
  }

  private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
    for (int depth = 0; t != null && depth < 16; depth++, t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }
}
