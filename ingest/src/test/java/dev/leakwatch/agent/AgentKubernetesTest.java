package dev.leakwatch.agent;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leakwatch.agent.buffer.Pending;
import dev.leakwatch.agent.testing.FakeKubernetes;
import dev.leakwatch.agent.testing.FixtureTarget;
import dev.leakwatch.agent.testing.Http;
import dev.leakwatch.agent.testing.TestConfigs;
import dev.leakwatch.agent.testing.TestPods;
import dev.leakwatch.schemas.avro.ProfileEnvelope;
import dev.leakwatch.schemas.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent finds a pod through the Kubernetes API (a protocol double over HTTPS, not a real API
 * server) and scrapes it: the pod's IP and port are a {@link FixtureTarget} serving Go-recorded
 * profiles, and the profiles it hands over carry the pod's labels and memory limit.
 */
class AgentKubernetesTest {
  @TempDir static Path dir;
  private static TestPki pki;

  @BeforeAll
  static void issueCertificates() throws Exception {
    pki = TestPki.create(dir.resolve("pki"), "leakwatch-test-ca");
  }

  private static String config(String apiServer) {
    return TestConfigs.kafka(TestConfigs.unreachableBootstrap())
        + "scrape:\n  interval: 500ms\n  backoffMax: 500ms\n"
        + "discovery:\n  kubernetes:\n    apiServer: " + apiServer + "\n    tokenFile: token\n"
        + "    caFile: pki/ca.pem\n    labels: {team: team}\n    applyDelay: 100ms\n";
  }

  @Test
  void shouldScrapeAnAnnotatedPodFoundThroughTheApiWithItsLabelsAndMemoryLimit() throws Exception {
    Files.writeString(dir.resolve("token"), "agent-token");
    try (FakeKubernetes api = FakeKubernetes.https(pki.issue("apiserver").serverContext());
        FixtureTarget pod = new FixtureTarget()) {
      api.requireToken("agent-token");
      api.holdStreams();
      api.add(TestPods.scraped("shop", "orders-5f7c9-abcde").ip("127.0.0.1")
          .annotate("port", Integer.toString(pod.port())).label("app", "orders")
          .label("team", "payments").memoryLimit(0, "512Mi").build());
      try (Agent agent = Agent.start(TestConfigs.parse(config(api.url()), dir))) {
        await().atMost(Duration.ofSeconds(30)).until(() -> agent.buffer().accepted() >= 1);

        Pending first = agent.buffer().poll(Duration.ofSeconds(5));
        ProfileEnvelope e = first.envelope();
        assertEquals("shop.orders/orders-5f7c9-abcde", first.key());
        assertEquals(512L << 20, e.getMemoryLimitBytes());
        assertEquals(Map.of("namespace", "shop", "node", "node-1", "team", "payments"),
            Map.copyOf(e.getLabels()));
        JsonNode targets =
            new ObjectMapper().readTree(new Http(agent.httpPort()).get("/targets").body());
        assertEquals("kubernetes", targets.get(0).path("source").asText());
      }
    }
  }

  @Test
  void shouldStartAndKeepRetryingWhileTheApiServerIsUnreachable() {
    String nowhere = "https://127.0.0.1:" + TestConfigs.freePort();
    try (Agent agent = Agent.start(TestConfigs.parse(config(nowhere), dir))) {
      Http http = new Http(agent.httpPort());
      assertEquals(200, http.get("/healthz").statusCode());
      // At least two failed attempts, each counted as unreachable: it retries. (Waiting for the count to
      // read exactly 1 raced the retry, 1 s ± 20 % after the first attempt: under load the first requests
      // to a fresh agent can take that long, and from then on the count reads 2 and up.)
      await().atMost(Duration.ofSeconds(30)).until(() -> unreachableErrors(http.get("/metrics").body()) >= 2);
      assertTrue(http.get("/metrics").body().contains("leakwatch_agent_kubernetes_pods{state=\"scraped\"} 0.0"));
    }
  }

  private static final Pattern UNREACHABLE =
      Pattern.compile("^leakwatch_agent_kubernetes_errors_total\\{reason=\"unreachable\"} (\\S+)$", Pattern.MULTILINE);

  /** The value of {@code leakwatch_agent_kubernetes_errors_total{reason="unreachable"}}; -1 without it. */
  private static double unreachableErrors(String metrics) {
    Matcher m = UNREACHABLE.matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : -1;
  }
}
