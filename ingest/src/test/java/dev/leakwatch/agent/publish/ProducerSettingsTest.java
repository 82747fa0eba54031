package dev.leakwatch.agent.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProducerSettingsTest {

  @Test
  void shouldDefaultToIdempotentAcksAllZstdAndRequestSizeThatFitsLargestProfile() {
    Map<String, Object> p = ProducerSettings.build(16L << 20, "agent-1", Map.of("bootstrap.servers", "b:9092"));

    assertEquals(true, p.get("enable.idempotence"));
    assertEquals("all", p.get("acks"));
    assertEquals("zstd", p.get("compression.type"));
    assertEquals(17 << 20, p.get("max.request.size"));
    assertEquals(64L << 20, p.get("buffer.memory"));
    assertEquals(10_000, p.get("reconnect.backoff.max.ms")); // Kafka's 1 s: ~2 lines/s per broker down
    assertEquals("agent-1", p.get("client.id"));
    assertEquals("b:9092", p.get("bootstrap.servers"));
  }

  @Test
  void shouldLetConfigFileOverrideAnyDefault() {
    Map<String, Object> p =
        ProducerSettings.build(
            16L << 20, "agent-1",
            Map.of("compression.type", "lz4", "security.protocol", "SSL", "client.id", "mine",
                "reconnect.backoff.max.ms", "500"));

    assertEquals("lz4", p.get("compression.type"));
    assertEquals("SSL", p.get("security.protocol"));
    assertEquals("mine", p.get("client.id"));
    assertEquals("500", p.get("reconnect.backoff.max.ms"));
  }

  @Test
  void shouldGiveTheTopicSetupTheTenSecondReconnectBackoffUnlessTheFileSaysOtherwise() {
    Duration timeout = Duration.ofSeconds(10);
    Map<String, String> file = Map.of("bootstrap.servers", "b:9092");
    assertEquals(10_000, TopicSetup.adminConfig(ProducerSettings.build(16L << 20, "a", file), timeout)
        .get("reconnect.backoff.max.ms"), "the agent's setup, as its producer");
    assertEquals(10_000, TopicSetup.adminConfig(file, timeout).get("reconnect.backoff.max.ms"), "the CLI's check");
    Map<String, String> own = Map.of("bootstrap.servers", "b:9092", "reconnect.backoff.max.ms", "500",
        "reconnect.backoff.ms", "20");
    Map<String, Object> admin = TopicSetup.adminConfig(ProducerSettings.build(16L << 20, "a", own), timeout);
    assertEquals("500", admin.get("reconnect.backoff.max.ms"));
    assertEquals("20", admin.get("reconnect.backoff.ms"));
  }

  @Test
  void shouldSizeBufferMemoryForTwoLargestRequests() {
    Map<String, Object> p = ProducerSettings.build(63L << 20, "a", Map.of());
    assertEquals(128L << 20, p.get("buffer.memory"));
  }

  @Test
  void shouldRequireTopicMessageSizeOfProfilePlusHeadroom() {
    // The documented value for the default 16 MiB limit.
    assertEquals(17_825_792L, ProducerSettings.requiredMaxMessageBytes(16L << 20));
  }
}
