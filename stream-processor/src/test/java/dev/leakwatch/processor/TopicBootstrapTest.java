package dev.leakwatch.processor;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.testing.TestBroker;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code ./leakwatch processor} prints (and exits 2 with) when it cannot create its topics
 * because nothing answers at the bootstrap address, finds topics missing, or finds the topics it writes
 * to too small for its records (a real broker). The topic creation itself runs against a real broker in
 * the integration tests ({@code ProcessorFailoverTest}, {@code TwoProcessors}).
 */
class TopicBootstrapTest {

  @TempDir Path dir;

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void shouldNameTheAddressAndTheWaitWhenNoBrokerAnswers() throws Exception {
    String address = "127.0.0.1:" + freePort();
    ProcessorConfig config = ProcessorConfig.parse("bootstrapServers: " + address + "\n");

    IllegalStateException e = assertTimeoutPreemptively(Duration.ofSeconds(60),
        () -> assertThrows(IllegalStateException.class,
            () -> TopicBootstrap.ensureTopics(config, Duration.ofSeconds(1))));

    assertEquals("cannot create topics on " + address + ": Kafka did not answer within 1s", e.getMessage());
  }

  @Test
  void shouldWaitUpToTenSecondsBetweenAttemptsToReachABrokerUnlessTheFileSaysOtherwise() {
    // Kafka's 1 s: about 2 WARN lines a second while a broker is down (docs/RELIABILITY.md, finding 69)
    assertEquals(10_000, TopicBootstrap.adminConfig(ProcessorConfig.parse("{}")).get("reconnect.backoff.max.ms"));
    assertEquals("500", TopicBootstrap.adminConfig(ProcessorConfig.parse("streams: {reconnect.backoff.max.ms: 500}"))
        .get("reconnect.backoff.max.ms"));
  }

  @Test
  void shouldNameTheMissingTopicsAndCreateNoneWhenTopicCreationIsOff() throws Exception {
    try (KafkaClusterTestKit cluster = TestBroker.start(dir.resolve("kafka"), Map.of());
        Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic("leakwatch.profiles", 1, (short) 1))).all().get();
      ProcessorConfig config = ProcessorConfig.parse("bootstrapServers: " + cluster.bootstrapServers()
          + "\ntopics: {create: false}\n");

      IllegalStateException e = assertThrows(IllegalStateException.class, () -> TopicBootstrap.ensureTopics(config));

      assertEquals("topics missing on " + cluster.bootstrapServers() + ": leakwatch.profiles.dlq, leakwatch.leak-suspects,"
          + " leakwatch.profiles.processed (topics.create is false: create them as docs/PROCESSOR.md says, or set"
          + " topics.create: true)", e.getMessage());
      assertEquals(Set.of("leakwatch.profiles"), admin.listTopics().names().get(), "none created");
    }
  }

  @Test
  void shouldRefuseToStartNamingEachTopicTooSmallForItsRecordsWhetherOrNotItCreatesTopics() throws Exception {
    try (KafkaClusterTestKit cluster = TestBroker.start(dir.resolve("kafka"), Map.of());
        Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
      // made by hand, as an operator would: the broker's default limit (1 MB) unless given
      admin.createTopics(List.of(new NewTopic("leakwatch.profiles", 1, (short) 1),
          new NewTopic("leakwatch.profiles.dlq", 1, (short) 1),
          new NewTopic("leakwatch.leak-suspects", 1, (short) 1).configs(Map.of("max.message.bytes", "16777216")),
          new NewTopic("leakwatch.profiles.processed", 1, (short) 1),
          new NewTopic("leakwatch-processor-suspect-lifecycle-changelog", 1, (short) 1),
          new NewTopic("leakwatch-processor-instance-reports-by-service-repartition", 1, (short) 1)
              .configs(Map.of("max.message.bytes", "16777215")))).all().get();

      for (String create : List.of("true", "false")) {
        ProcessorConfig config = ProcessorConfig.parse("bootstrapServers: " + cluster.bootstrapServers()
            + "\ntopics: {create: " + create + "}\n");

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TopicBootstrap.ensureTopics(config));

        // the suspects topic has room; the audit topic's records are small; the input is not written
        assertEquals("topics on " + cluster.bootstrapServers() + " too small for the records the processor writes"
            + " (max.message.bytes): leakwatch.profiles.dlq has 1048588, needs 17891328;"
            + " leakwatch-processor-instance-reports-by-service-repartition has 16777215, needs 16777216;"
            + " leakwatch-processor-suspect-lifecycle-changelog has 1048588, needs 16777216 (a record Kafka refuses"
            + " stops the processor at it, again after every restart; raise each with kafka-configs.sh --alter"
            + " --entity-type topics --entity-name TOPIC --add-config max.message.bytes=N, docs/OPERATIONS.md"
            + " \"Topic record limits\")", e.getMessage(), "topics.create: " + create);
      }
    }
  }

  @Test
  void shouldRefuseADeadLetterTopicItCreatedEarlierWhenMaxEnvelopeBytesGrewAndStartOnceRaised() throws Exception {
    try (KafkaClusterTestKit cluster = TestBroker.start(dir.resolve("kafka"), Map.of());
        Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
      TopicBootstrap.ensureTopics(ProcessorConfig.parse("bootstrapServers: " + cluster.bootstrapServers() + "\n"));
      ProcessorConfig larger = ProcessorConfig.parse("bootstrapServers: " + cluster.bootstrapServers()
          + "\nlimits: {maxEnvelopeBytes: 32MiB}\n");

      IllegalStateException e = assertThrows(IllegalStateException.class, () -> TopicBootstrap.ensureTopics(larger));
      assertTrue(e.getMessage().contains(": leakwatch.profiles.dlq has 17891328, needs 34603008 ("), e.getMessage());

      ConfigResource dlq = new ConfigResource(ConfigResource.Type.TOPIC, "leakwatch.profiles.dlq");
      admin.incrementalAlterConfigs(Map.of(dlq, List.of(new AlterConfigOp(
          new ConfigEntry("max.message.bytes", "34603008"), AlterConfigOp.OpType.SET)))).all().get();
      // the broker applies a topic's new configuration asynchronously
      await().atMost(Duration.ofSeconds(30)).ignoreExceptionsInstanceOf(IllegalStateException.class)
          .untilAsserted(() -> TopicBootstrap.ensureTopics(larger));
    }
  }
}
