package dev.leakwatch.agent.publish;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leakwatch.agent.Agent;
import dev.leakwatch.agent.model.ProfileKind;
import dev.leakwatch.agent.testing.Fixtures;
import dev.leakwatch.agent.testing.Http;
import dev.leakwatch.agent.testing.TcpForwarder;
import dev.leakwatch.agent.testing.TestBroker;
import dev.leakwatch.agent.testing.TestConfigs;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code kafka.createTopic} on a broker that does not create topics itself: the agent often starts
 * before Kafka can be reached (a restart of both, a broker rolling). The topic must still be
 * created once Kafka answers, else every profile waits for a topic nobody creates.
 */
class TopicSetupRetryTest {
  private static final String TOPIC = "leakwatch.profiles";

  @Test
  void shouldCreateTheTopicOnceKafkaBecomesReachableAfterTheAgentStarted() throws Exception {
    byte[] heap = Fixtures.profile(ProfileKind.HEAP);
    int kafkaPort = TestConfigs.freePort();
    try (TestBroker broker = TestBroker.start();
        Agent agent =
            Agent.start(
                TestConfigs.parse(
                    "kafka:\n  partitions: 1\n  replicationFactor: 1\n  client:\n"
                        + "    bootstrap.servers: 127.0.0.1:" + kafkaPort + "\n"
                        + "    max.block.ms: 500\n",
                    Path.of(".")))) {
      Http http = new Http(agent.httpPort());
      var r =
          http.send(
              http.request("/ingest?service=s&instance=i&type=heap")
                  .POST(BodyPublishers.ofByteArray(heap)));
      assertEquals(202, r.statusCode(), r.body());
      // the first send comes after the first topic setup, which found nothing to talk to
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> agent.metrics().total("leakwatch.agent.publish.retries") >= 1);

      String[] broker0 = broker.bootstrapServers().split(",")[0].split(":");
      try (TcpForwarder kafka =
          TcpForwarder.start(kafkaPort, broker0[0], Integer.parseInt(broker0[1]))) {
        await()
            .atMost(Duration.ofSeconds(90))
            .until(() -> agent.metrics().total("leakwatch.agent.published") == 1);
      }
      assertEquals(1, broker.readAll(TOPIC).size());
      assertEquals(0, agent.buffer().dropped());
    }
  }
}
