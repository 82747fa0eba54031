package dev.leakwatch.agent.publish;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.agent.Agent;
import dev.leakwatch.agent.config.AgentConfig;
import dev.leakwatch.agent.model.ProfileKind;
import dev.leakwatch.agent.testing.Fixtures;
import dev.leakwatch.agent.testing.Http;
import dev.leakwatch.agent.testing.TestBroker;
import dev.leakwatch.agent.testing.TestConfigs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A broker that refuses every profile for good (here a topic whose {@code max.message.bytes} is
 * below a heap profile: made by hand, not by the agent) refuses every target's profile at every
 * round: the first refusal is logged in full, the rest counted in one line (a line a minute while
 * it lasts, the rest at close), not a line per profile. The counter has each. Real broker, agent
 * and recorded Go profiles.
 */
class RefusedSendLoggingTest {
  private static final String TOPIC = "leakwatch.profiles";
  private static final int PROFILES = 20;

  @Test
  void shouldLogTheFirstRefusalThenItsCountWhenTheBrokerRefusesEveryProfile() throws Exception {
    PrintStream stderr = System.err; // where slf4j-simple writes
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    try (TestBroker broker = TestBroker.start()) {
      broker.createTopic(TOPIC, 1, Map.of("max.message.bytes", "1024"));
      AgentConfig cfg =
          TestConfigs.parse(
              "kafka:\n  topic: " + TOPIC + "\n  createTopic: false\n  client:\n"
                  + "    bootstrap.servers: " + broker.bootstrapServers() + "\n",
              Path.of("."));
      System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
      try (Agent agent = Agent.start(cfg)) {
        Http http = new Http(agent.httpPort());
        byte[] heap = Fixtures.profile(ProfileKind.HEAP);
        for (int i = 0; i < PROFILES; i++) {
          var r = http.send(http.request("/ingest?service=s&instance=i-" + i + "&type=heap")
              .POST(BodyPublishers.ofByteArray(heap)));
          assertEquals(202, r.statusCode(), r.body());
        }
        await().atMost(Duration.ofMinutes(1))
            .until(() -> agent.metrics().total("leakwatch.agent.publish.failures") == PROFILES);
      } finally {
        System.setErr(stderr);
      }
    }
    List<String> lines = log.toString(StandardCharsets.UTF_8).lines().toList();
    List<String> dropped = lines.stream().filter(l -> l.contains("dropping profile")).toList();
    assertEquals(1, dropped.size(), "the first refusal in full: " + dropped);
    assertTrue(dropped.get(0).contains("RecordTooLargeException"), dropped.get(0));
    List<String> counts = lines.stream().filter(l -> l.contains("more profiles that Kafka rejected")).toList();
    assertEquals(List.of(PROFILES - 1L), counts.stream().map(RefusedSendLoggingTest::count).toList(),
        "the rest as counts: " + counts);
  }

  private static long count(String line) {
    String after = line.substring(line.indexOf("dropped ") + "dropped ".length());
    return Long.parseLong(after.substring(0, after.indexOf(' ')));
  }
}
