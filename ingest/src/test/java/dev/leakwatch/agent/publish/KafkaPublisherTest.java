package dev.leakwatch.agent.publish;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leakwatch.agent.Agent;
import dev.leakwatch.agent.model.ProfileKind;
import dev.leakwatch.agent.testing.Fixtures;
import dev.leakwatch.agent.testing.Http;
import dev.leakwatch.agent.testing.TestConfigs;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Publishing while Kafka cannot be reached: profiles stay in the buffer and are retried, never
 * dropped while there is room.
 */
class KafkaPublisherTest {

  @Test
  void shouldKeepProfilesBufferedAndRetryWhileKafkaIsUnreachable() {
    byte[] heap = Fixtures.profile(ProfileKind.HEAP);
    try (Agent agent =
        Agent.start(
            TestConfigs.parse(
                TestConfigs.kafka(TestConfigs.unreachableBootstrap())
                    + "    max.block.ms: 100\n",
                Path.of(".")))) {
      Http http = new Http(agent.httpPort());
      for (int i = 0; i < 3; i++) {
        int status =
            http.send(
                    http.request("/ingest?service=s&instance=i" + i + "&type=heap")
                        .POST(BodyPublishers.ofByteArray(heap)))
                .statusCode();
        assertEquals(202, status);
      }

      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> agent.metrics().total("leakwatch.agent.publish.retries") >= 3);

      assertEquals(0.0, agent.metrics().total("leakwatch.agent.published"));
      assertEquals(0.0, agent.metrics().total("leakwatch.agent.publish.failures"));
      assertEquals(0, agent.buffer().dropped());
      assertEquals(3, agent.buffer().accepted());
    }
  }
}
