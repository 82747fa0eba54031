package dev.leakwatch.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.leakwatch.testing.TestBroker;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code ./leakwatch processor} prints (and exits 2 with) when it cannot create its topics
 * because nothing answers at the bootstrap address. The topic creation itself runs against a real
 * broker in the integration tests ({@code ProcessorFailoverTest}, {@code TwoProcessors}).
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
}
