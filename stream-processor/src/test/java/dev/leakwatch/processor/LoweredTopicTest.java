package dev.leakwatch.processor;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.testing.TestBroker;
import dev.leakwatch.topology.ProcessorYaml;
import dev.leakwatch.topology.TopologyNames;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
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
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/**
 * An operator lowers the dead-letter topic's {@code max.message.bytes} (kafka-configs.sh) while the
 * processor runs: the start's check ({@link TopicRoom}) passed, and the next large dead letter is
 * refused, which under exactly-once stops the processor (docs/RELIABILITY.md finding 92). What the
 * operator sees, on a real broker: the processor stops with TopicRoom's line, naming the topic, its
 * limit, the room it needs and the command that raises it; a restart is refused with the same line.
 */
class LoweredTopicTest {

  /** The broker's default {@code message.max.bytes}: what a topic made without the setting has. */
  private static final String BROKER_DEFAULT = "1048588";

  @Test
  void shouldStopNamingTheTopicAndItsFixWhenATopicLoweredWhileRunningRefusesADeadLetter() throws Exception {
    Path temp = Files.createTempDirectory(Files.createDirectories(Path.of("target", "lowered-topic")), "run");
    // ProcessorYaml's session timeout (3 s) is below the broker's default minimum
    try (KafkaClusterTestKit cluster = TestBroker.start(temp.resolve("kafka"),
            Map.of("group.min.session.timeout.ms", "1000"));
        Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
      ProcessorConfig config = ProcessorConfig.parse(
          ProcessorYaml.failover("lowered-topic", cluster.bootstrapServers(), temp.resolve("state"), 1));
      TopicBootstrap.ensureTopics(config); // the topics with room: the start's check passes
      String needs = TopologyNames.DEAD_LETTER_TOPIC + " has " + BROKER_DEFAULT + ", needs "
          + ProcessorConfig.maxRecordBytes(config.topology());
      ByteArrayOutputStream log = new ByteArrayOutputStream();
      PrintStream stderr = System.err; // where slf4j-simple writes
      try (ProcessorRuntime runtime = new ProcessorRuntime(config)) {
        runtime.start();
        await().atMost(Duration.ofSeconds(90)).until(() -> runtime.state() == KafkaStreams.State.RUNNING);

        // as kafka-configs.sh --alter --add-config max.message.bytes=... does
        admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC,
            TopologyNames.DEAD_LETTER_TOPIC), List.of(new AlterConfigOp(new ConfigEntry("max.message.bytes",
            BROKER_DEFAULT), AlterConfigOp.OpType.SET)))).all().get();
        // the broker applies a topic's new configuration asynchronously: go on once it is in force
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertTrue(
            assertThrows(IllegalStateException.class, () -> TopicBootstrap.ensureTopics(config)).getMessage()
                .contains(needs)));

        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
          sendGarbage(cluster.bootstrapServers());
          await().atMost(Duration.ofSeconds(90)).until(() -> runtime.state() == KafkaStreams.State.ERROR);
          runtime.awaitTermination();
        } finally {
          System.setErr(stderr);
        }
      }
      String logged = log.toString(StandardCharsets.UTF_8);
      Files.writeString(temp.resolve("processor.log"), logged);
      List<String> advice = logged.lines().filter(l -> l.contains(needs)).toList();
      assertEquals(1, advice.size(), "one line names the topic and its room (log in " + temp + ")");
      assertTrue(advice.get(0).contains("kafka-configs.sh --alter --entity-type topics"), advice.get(0));

      // the restart: the processor command exits 2 with the same line (ProcessorCommandTest)
      String refused = assertThrows(IllegalStateException.class, () -> TopicBootstrap.ensureTopics(config))
          .getMessage();
      assertTrue(refused.contains(needs) && refused.contains("kafka-configs.sh"), refused);
    }
  }

  /** A 3 MiB input that is no Avro: its dead letter carries it whole. */
  private static void sendGarbage(String bootstrap) throws Exception {
    byte[] garbage = new byte[3 << 20];
    garbage[0] = 0x7f;
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 << 20),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(TopologyNames.PROFILES_TOPIC, 0, System.currentTimeMillis(),
          "svc/i1".getBytes(StandardCharsets.UTF_8), garbage)).get(30, TimeUnit.SECONDS);
    }
  }
}
