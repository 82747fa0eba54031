package dev.leakwatch.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What {@code ./leakwatch processor} prints (and exits 2 with) when it cannot create its topics
 * because nothing answers at the bootstrap address. The topic creation itself runs against a real
 * broker in the integration tests ({@code ProcessorFailoverTest}, {@code TwoProcessors}).
 */
class TopicBootstrapTest {

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
}
