package dev.leakwatch.agent.publish;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.leakwatch.agent.Agent;
import dev.leakwatch.agent.config.AgentConfig;
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
 * {@code kafka.createTopic} when the agent starts before Kafka can be reached (a restart of both, a
 * broker rolling). The topic must still be created once Kafka answers, with the agent's settings:
 * on a broker that auto-creates topics (Kafka's default) a profile sent first would have the broker
 * create it with its own defaults (here one partition and the default message limit).
 */
class TopicSetupRetryTest {
  private static final String TOPIC = "leakwatch.profiles";

  /** Pushes a recorded heap profile; returns the agent's topic checks right after it was taken. */
  private static double pushOneHeapProfile(Agent agent) {
    Http http = new Http(agent.httpPort());
    var r =
        http.send(
            http.request("/ingest?service=s&instance=i&type=heap")
                .POST(BodyPublishers.ofByteArray(Fixtures.profile(ProfileKind.HEAP))));
    assertEquals(202, r.statusCode(), r.body());
    return agent.metrics().total("leakwatch.agent.topic.checks");
  }

  @Test
  void shouldCreateTheTopicWithItsSettingsOnceKafkaBecomesReachableAfterTheAgentStarted()
      throws Exception {
    int kafkaPort = TestConfigs.freePort();
    AgentConfig cfg =
        TestConfigs.parse(
            "kafka:\n  partitions: 3\n  replicationFactor: 1\n  client:\n"
                + "    bootstrap.servers: 127.0.0.1:" + kafkaPort + "\n"
                + "    max.block.ms: 500\n",
            Path.of("."));
    try (TestBroker broker = TestBroker.start(true);
        Agent agent = Agent.start(cfg)) {
      // a topic setup after the push found nothing to talk to; the profile waits for the next
      double checksAfterPush = pushOneHeapProfile(agent);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> agent.metrics().total("leakwatch.agent.topic.checks") > checksAfterPush);
      assertEquals(0.0, agent.metrics().total("leakwatch.agent.topic.ready"));
      assertEquals(1, agent.buffer().size(), "the profile waits in the buffer");

      String[] broker0 = broker.bootstrapServers().split(",")[0].split(":");
      try (TcpForwarder kafka =
          TcpForwarder.start(kafkaPort, broker0[0], Integer.parseInt(broker0[1]))) {
        await()
            .atMost(Duration.ofSeconds(90))
            .until(() -> agent.metrics().total("leakwatch.agent.published") == 1);
      }
      assertEquals(1.0, agent.metrics().total("leakwatch.agent.topic.ready"));
      assertEquals(1, broker.readAll(TOPIC).size());
      assertEquals(0, agent.buffer().dropped());
      TestBroker.TopicShape shape = broker.shape(TOPIC);
      assertEquals(3, shape.partitions(), "created by the agent, not by the broker's defaults");
      assertEquals(
          ProducerSettings.requiredMaxMessageBytes(
              Math.max(cfg.scrape().maxBodyBytes(), cfg.push().maxBodyBytes())),
          shape.maxMessageBytes());
    }
  }

  @Test
  void shouldWaitForAMissingTopicInsteadOfLettingTheBrokerCreateItWhenCreateTopicIsFalse()
      throws Exception {
    try (TestBroker broker = TestBroker.start(true);
        Agent agent =
            Agent.start(TestConfigs.parse(TestConfigs.kafka(broker.bootstrapServers()), Path.of(".")))) {
      double checksAfterPush = pushOneHeapProfile(agent);
      // a send would have made the broker create the topic by now
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  broker.hasTopic(TOPIC)
                      || agent.metrics().total("leakwatch.agent.topic.checks") > checksAfterPush);
      assertFalse(broker.hasTopic(TOPIC), "createTopic: false must not create the topic");
      assertEquals(0.0, agent.metrics().total("leakwatch.agent.topic.ready"));
      assertEquals(1, agent.buffer().size(), "the profile waits in the buffer");

      broker.createTopic(TOPIC, 2);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> agent.metrics().total("leakwatch.agent.published") == 1);
      assertEquals(1, broker.readAll(TOPIC).size());
      assertEquals(2, broker.shape(TOPIC).partitions(), "the operator's topic, untouched");
      assertEquals(0, agent.buffer().dropped());
    }
  }
}
