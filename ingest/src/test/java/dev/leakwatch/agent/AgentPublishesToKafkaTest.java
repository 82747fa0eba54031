package dev.leakwatch.agent;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.agent.model.ProfileKind;
import dev.leakwatch.agent.testing.Fixtures;
import dev.leakwatch.agent.testing.Http;
import dev.leakwatch.agent.testing.PprofTarget;
import dev.leakwatch.agent.testing.TestBroker;
import dev.leakwatch.agent.testing.TestConfigs;
import dev.leakwatch.pprof.Profile;
import dev.leakwatch.pprof.ProfileDecoder;
import dev.leakwatch.pprof.ValueType;
import dev.leakwatch.schemas.avro.IngestSource;
import dev.leakwatch.schemas.avro.ProfileEnvelope;
import dev.leakwatch.schemas.avro.ProfileType;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on a real KRaft broker: the agent scrapes a Go process (or recorded Go profiles when
 * Go is absent), pushes arrive over HTTP, and the test reads the envelopes back from the topic and
 * decodes their profiles.
 */
class AgentPublishesToKafkaTest {
  private static final String TOPIC = "leakwatch.profiles";
  private static TestBroker broker;

  @TempDir static Path work;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = TestBroker.start();
  }

  @AfterAll
  static void stopBroker() throws Exception {
    broker.close();
  }

  private static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  private static List<String> sampleTypes(Profile p) {
    return p.sampleTypes().stream().map(ValueType::type).collect(Collectors.toList());
  }

  @Test
  void shouldPublishScrapedAndPushedProfilesThatDecodeFromTheTopic() throws Exception {
    List<ConsumerRecord<String, ProfileEnvelope>> records;
    double published;
    String instance;
    Instant pushedAt = Instant.parse("2025-01-31T12:00:00.123Z");
    try (PprofTarget go = PprofTarget.start("heap-leak", work)) {
      instance = "127.0.0.1:" + go.port();
      Agent agent =
          Agent.start(
              TestConfigs.parse(
                  "kafka:\n  partitions: 3\n  replicationFactor: 1\n  client:\n"
                      + "    bootstrap.servers: " + broker.bootstrapServers() + "\n"
                      + "agent:\n  id: it-agent\n  shutdownGrace: 10s\n"
                      + "targets:\n  - service: checkout\n    url: " + go.url() + "\n"
                      + "    interval: 1s\n    timeout: 1s\n    memoryLimit: 256MiB\n"
                      + "    labels: {region: test}\n",
                  work));
      try {
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> agent.metrics().total("leakwatch.agent.published") >= 6);
        Http http = new Http(agent.httpPort());
        byte[] pushed = Fixtures.profile(ProfileKind.GOROUTINE);
        var r =
            http.send(
                http.request(
                        "/ingest?service=billing&instance=billing-7&type=goroutine&time="
                            + pushedAt.toEpochMilli() + "&label.version=1.4.2")
                    .POST(BodyPublishers.ofByteArray(pushed)));
        assertEquals(202, r.statusCode(), r.body());
        String targets = http.get("/targets").body();
        assertTrue(targets.contains("\"service\":\"checkout\""), targets);
      } finally {
        agent.close();
      }
      published = agent.metrics().total("leakwatch.agent.published");
      records = broker.readAll(TOPIC);
      if (!go.realGo()) {
        for (ConsumerRecord<String, ProfileEnvelope> rec : records) {
          if (rec.value().getSource() == IngestSource.SCRAPE) {
            ProfileKind kind = ProfileKind.valueOf(rec.value().getProfileType().name());
            assertArrayEquals(go.recorded().body(kind), bytes(rec.value().getProfile()));
          }
        }
      }
    }

    assertEquals(published, records.size(), "every acknowledged profile is in the topic, once");
    Set<ProfileType> scrapedTypes = EnumSet.noneOf(ProfileType.class);
    Map<String, Set<Integer>> partitionsByKey = new HashMap<>();
    ProfileEnvelope push = null;
    for (ConsumerRecord<String, ProfileEnvelope> rec : records) {
      ProfileEnvelope e = rec.value();
      partitionsByKey.computeIfAbsent(rec.key(), k -> new HashSet<>()).add(rec.partition());
      assertEquals(e.getService() + "/" + e.getInstance(), rec.key());
      assertEquals(e.getCaptureTime().toEpochMilli(), rec.timestamp());
      assertEquals("it-agent", e.getAgent());
      Profile p = ProfileDecoder.decode(bytes(e.getProfile()));
      if (e.getSource() == IngestSource.PUSH) {
        push = e;
        continue;
      }
      assertEquals(IngestSource.SCRAPE, e.getSource());
      assertEquals("checkout", e.getService());
      assertEquals(instance, e.getInstance());
      assertEquals(Map.of("region", "test"), e.getLabels());
      assertEquals(256L << 20, e.getMemoryLimitBytes());
      scrapedTypes.add(e.getProfileType());
      if (e.getProfileType() == ProfileType.GOROUTINE) {
        assertEquals(List.of("goroutine"), sampleTypes(p));
      } else {
        assertEquals(
            List.of("alloc_objects", "alloc_space", "inuse_objects", "inuse_space"), sampleTypes(p));
      }
    }
    // Go 1.19 has no goroutineleak profile: it answers 404, which is "not served", not a failure.
    assertEquals(EnumSet.of(ProfileType.HEAP, ProfileType.GOROUTINE, ProfileType.ALLOCS), scrapedTypes);
    assertTrue(
        partitionsByKey.values().stream().allMatch(s -> s.size() == 1),
        "each instance's profiles stay on one partition: " + partitionsByKey);

    assertNotNull(push, "the pushed profile reached the topic");
    assertEquals("billing", push.getService());
    assertEquals("billing-7", push.getInstance());
    assertEquals(ProfileType.GOROUTINE, push.getProfileType());
    assertEquals(pushedAt, push.getCaptureTime());
    assertEquals(Map.of("version", "1.4.2"), push.getLabels());
    assertEquals(null, push.getMemoryLimitBytes());
  }

  @Test
  void shouldCountAndLogProfileThatKafkaRejectsPermanently() throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      admin
          .createTopics(
              Set.of(new NewTopic("tiny", 1, (short) 1).configs(Map.of("max.message.bytes", "512"))))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    byte[] heap = Fixtures.profile(ProfileKind.HEAP);
    try (Agent agent =
        Agent.start(
            TestConfigs.parse(
                TestConfigs.kafka(broker.bootstrapServers()) + "  topic: tiny\n", work))) {
      Http http = new Http(agent.httpPort());
      var r =
          http.send(
              http.request("/ingest?service=s&instance=i&type=heap")
                  .POST(BodyPublishers.ofByteArray(heap)));
      assertEquals(202, r.statusCode());

      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> agent.metrics().total("leakwatch.agent.publish.failures") == 1);
      assertEquals(
          1.0,
          agent.metrics().registry().find("leakwatch.agent.publish.failures")
              .tag("reason", "record_too_large").counter().count());
      assertEquals(0.0, agent.metrics().total("leakwatch.agent.published"));
      assertEquals(0.0, agent.metrics().total("leakwatch.agent.publish.retries"));
    }
  }
}
