package dev.leakwatch.local;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.agent.testing.TestConfigs;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The child-JVM KRaft broker behind {@code ./leakwatch kafka}. */
class LocalKafkaTest {
  @TempDir Path dir;

  private LocalKafkaSettings settings(Path dataDir) {
    return new LocalKafkaSettings(
        dataDir, "127.0.0.1", TestConfigs.freePort(), TestConfigs.freePort(),
        Duration.ofSeconds(90), Map.of());
  }

  private static boolean portFree(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void shouldServeClientsAndKeepRecordsAcrossRestart() throws Exception {
    LocalKafkaSettings s = settings(dir.resolve("kafka"));
    try (LocalKafka kafka = LocalKafka.start(s)) {
      assertEquals(s.bootstrapServers(), kafka.bootstrapServers());
      Map<String, Object> client = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
      try (Admin admin = Admin.create(client)) {
        assertEquals(1, admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size());
        admin.createTopics(Set.of(new NewTopic("t", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
      }
      try (KafkaProducer<String, String> p =
          new KafkaProducer<>(client, new StringSerializer(), new StringSerializer())) {
        p.send(new ProducerRecord<>("t", "k", "survives a restart")).get(30, TimeUnit.SECONDS);
      }
    }
    assertTrue(portFree(s.port()), "the broker released its port on close");

    try (LocalKafka again = LocalKafka.start(s);
        KafkaConsumer<String, String> c =
            new KafkaConsumer<>(
                Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, again.bootstrapServers(),
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(),
                new StringDeserializer())) {
      TopicPartition tp = new TopicPartition("t", 0);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      // One poll may come back empty: the restarted broker (a cold JVM) can still be loading the log or
      // electing the partition's leader, and the consumer's offset lookup and fetch wait for it.
      List<ConsumerRecord<String, String>> got = new ArrayList<>();
      await().atMost(Duration.ofSeconds(60)).until(() -> {
        got.addAll(c.poll(Duration.ofMillis(500)).records(tp));
        return !got.isEmpty();
      });
      assertEquals("survives a restart", got.get(0).value());
      assertTrue(Files.exists(s.dataDir().resolve("broker.log")));
    }
  }

  @Test
  void shouldRefuseToStartWhenClientPortIsTaken() throws IOException {
    LocalKafkaSettings s = settings(dir.resolve("kafka"));
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", s.port()));
      LocalKafkaException e = assertThrows(LocalKafkaException.class, () -> LocalKafka.start(s));
      assertTrue(
          e.getMessage().startsWith("client port 127.0.0.1:" + s.port() + " is not available"),
          e.getMessage());
    }
  }

  @Test
  void shouldRefuseControllerPortOtherThanTheOneFormattedWith() throws IOException {
    // A directory as a previous run left it: formatted, with the controller port it recorded.
    Path kafkaDir = dir.resolve("kafka");
    Files.createDirectories(kafkaDir.resolve("data"));
    Files.writeString(kafkaDir.resolve("data/meta.properties"), "node.id=1\n");
    Files.writeString(kafkaDir.resolve("leakwatch-local.properties"), "controller.port=1\n");
    LocalKafkaSettings s = settings(kafkaDir);

    LocalKafkaException e = assertThrows(LocalKafkaException.class, () -> LocalKafka.start(s));
    assertEquals(
        kafkaDir + " was formatted with controller port 1, not " + s.controllerPort()
            + "; use that port or delete the directory",
        e.getMessage());
  }

  @Test
  void shouldReportFormatFailureWithTheToolsOutput() {
    LocalKafkaSettings bad =
        new LocalKafkaSettings(
            dir.resolve("kafka"), "127.0.0.1", TestConfigs.freePort(), TestConfigs.freePort(),
            Duration.ofSeconds(30), Map.of("node.id", "not-a-number"));

    LocalKafkaException e = assertThrows(LocalKafkaException.class, () -> LocalKafka.start(bad));
    assertTrue(e.getMessage().startsWith("formatting " + dir.resolve("kafka")), e.getMessage());
    assertTrue(e.getMessage().contains("last lines of"), e.getMessage());
    assertTrue(e.getMessage().contains("Invalid value not-a-number"), e.getMessage());
  }

  @Test
  void shouldEndChildProcessWhenParentPipeCloses() throws Exception {
    Process child =
        new ProcessBuilder(
                ChildJvm.command(
                    List.of(), ParentWatch.class.getName(), List.of(SleepForever.class.getName())))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("child.log").toFile())
            .start();
    try {
      assertTrue(child.isAlive());

      child.getOutputStream().close();

      assertTrue(child.waitFor(60, TimeUnit.SECONDS), Files.readString(dir.resolve("child.log")));
      assertFalse(child.isAlive());
    } finally {
      child.destroyForcibly();
    }
  }
}
