package dev.leakwatch.http;

import static dev.leakwatch.http.ApiClient.get;
import static dev.leakwatch.http.ApiClient.json;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leakwatch.processor.ProcessorRuntime;
import dev.leakwatch.topology.Fixtures;
import dev.leakwatch.topology.eval.CorpusScenario;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The processor's wiring of a rules reload: two processors loaded from files of their own (as the
 * {@code processor} command loads them) answer with the edited rules once their files are edited, without
 * a restart, and show the same new digest in {@code /readyz} and {@code /metrics}.
 */
class RulesReloadApiTest {

  private static final String TOKEN = "reload-token";
  private static final String RULES = String.join("\n",
      "detection:",
      "  reloadInterval: 200ms",
      "  services:",
      "    - match: [session-*]",
      "      judge: false",
      "");

  @Test
  void shouldAnswerWithTheEditedRulesOnEveryProcessorWithoutARestart() throws Exception {
    CorpusScenario g = Fixtures.scenario("G");
    try (TwoProcessors run = TwoProcessors.startFromFiles(TOKEN, RULES)) {
      run.publish(List.of(g));
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
          .until(() -> detection(run.a, g.service()) != null && detection(run.b, g.service()) != null);
      assertEquals(false, detection(run.a, g.service()).path("judged").asBoolean(true));
      String before = rulesDigest(run.a);

      for (Path f : run.files) {
        Files.writeString(f, Files.readString(f).replace("judge: false", "warmup: 30m"));
      }

      for (ProcessorRuntime p : List.of(run.a, run.b)) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
            .until(() -> detection(p, g.service()).path("judged").asBoolean(false));
        assertEquals("{\"warmup\":\"PT30M\"}", detection(p, g.service()).path("changes").toString());
        // the watch swaps the rules in (what the answer above shows) before it sets the info gauge, logs the
        // new rules and counts the reload: the metrics can lag the answer by that much
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
          String metrics = ApiClient.text(get(p.httpPort(), "/metrics", TOKEN));
          assertTrue(metrics.contains("leakwatch_detection_rules_reloads_total{outcome=\"applied\"} 1.0"), metrics);
          assertTrue(metrics.contains("leakwatch_detection_rules_info{digest=\"" + rulesDigest(p) + "\"} 1"), metrics);
        });
      }
      assertNotEquals(before, rulesDigest(run.a));
      assertEquals(rulesDigest(run.a), rulesDigest(run.b), "both instances run the same rules");
    }
  }

  /** The service answer's {@code detection}, as {@code asked} gives it; null until it has the service. */
  private static JsonNode detection(ProcessorRuntime asked, String service) {
    HttpResponse<byte[]> r = get(asked.httpPort(), "/api/v1/services/" + service + "?limit=1", TOKEN);
    return r.statusCode() == 200 ? json(r).path("detection") : null;
  }

  private static String rulesDigest(ProcessorRuntime asked) {
    return json(get(asked.httpPort(), "/readyz", TOKEN)).path("rules").asText();
  }
}
