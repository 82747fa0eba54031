package dev.leakwatch.local;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.agent.Agent;
import dev.leakwatch.agent.testing.PprofTarget;
import dev.leakwatch.agent.testing.TestConfigs;
import dev.leakwatch.agent.testing.TopicReader;
import dev.leakwatch.schemas.avro.ProfileEnvelope;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker goes away while the agent scrapes a Go process and comes back on the same address
 * (the child-JVM broker, stopped with SIGTERM and started again on the same ports and data): every
 * profile scraped in between reaches the topic, once, and the agent's counters agree.
 */
class AgentSurvivesBrokerRestartTest {
  private static final String TOPIC = "leakwatch.profiles";
  @TempDir Path work;

  private double total(Agent agent, String meter) {
    return agent.metrics().total(meter);
  }

  private double scrapedOk(Agent agent) {
    return agent.metrics().registry().find("leakwatch.agent.scrapes").tag("outcome", "ok").counters()
        .stream().mapToDouble(c -> c.count()).sum();
  }

  @Test
  void shouldDeliverEveryProfileScrapedWhileBrokerWasDown() throws Exception {
    LocalKafkaSettings s =
        new LocalKafkaSettings(
            work.resolve("kafka"), "127.0.0.1", TestConfigs.freePort(), TestConfigs.freePort(),
            Duration.ofSeconds(90), Map.of());
    LocalKafka kafka = LocalKafka.start(s);
    Instant down;
    Instant up;
    Agent agent;
    try (PprofTarget go = PprofTarget.start("heap-leak", work)) {
      agent =
          Agent.start(
              TestConfigs.parse(
                  "agent:\n  id: restart-agent\n  shutdownGrace: 60s\n"
                      + "kafka:\n  partitions: 1\n  replicationFactor: 1\n  maxInFlight: 4KiB\n"
                      + "  client:\n    bootstrap.servers: " + s.bootstrapServers() + "\n"
                      + "    reconnect.backoff.max.ms: 500\n"
                      + "targets:\n  - service: checkout\n    url: " + go.url() + "\n"
                      + "    interval: 250ms\n    timeout: 250ms\n    profiles: [heap, goroutine]\n",
                  work));
      try {
        await().atMost(Duration.ofSeconds(60)).until(() -> total(agent, "leakwatch.agent.published") >= 4);

        kafka.close();
        down = Instant.now();
        double okAtStop = scrapedOk(agent);
        // Scraping goes on; what cannot be sent waits in the buffer.
        await().atMost(Duration.ofSeconds(60)).until(() -> scrapedOk(agent) >= okAtStop + 8);
        await().atMost(Duration.ofSeconds(30)).until(() -> agent.buffer().size() > 0);
        assertTrue(total(agent, "leakwatch.agent.published") < scrapedOk(agent));

        kafka = LocalKafka.start(s);
        up = Instant.now();
        await()
            .atMost(Duration.ofSeconds(90))
            .until(() -> agent.buffer().size() == 0 && total(agent, "leakwatch.agent.published") > okAtStop);
      } finally {
        agent.close();
      }
    }

    try (LocalKafka broker = kafka) {
      double ok = scrapedOk(agent);
      assertEquals(ok, total(agent, "leakwatch.agent.published"), "every scraped profile was acknowledged");
      assertEquals(0.0, total(agent, "leakwatch.agent.buffer.dropped"));
      assertEquals(0.0, total(agent, "leakwatch.agent.publish.failures"));

      List<ConsumerRecord<String, ProfileEnvelope>> records = TopicReader.readAll(broker.bootstrapServers(), TOPIC);
      assertEquals((long) ok, records.size(), "the topic holds each profile exactly once");
      Set<String> distinct = new HashSet<>();
      long capturedWhileDown = 0;
      for (ConsumerRecord<String, ProfileEnvelope> r : records) {
        Instant t = r.value().getCaptureTime();
        distinct.add(r.value().getProfileType() + "@" + t.toEpochMilli());
        if (t.isAfter(down) && t.isBefore(up)) {
          capturedWhileDown++;
        }
      }
      assertEquals(records.size(), distinct.size(), "no profile was delivered twice");
      assertTrue(capturedWhileDown >= 8, "profiles captured during the outage: " + capturedWhileDown);
    }
  }
}
