package dev.leakwatch.agent.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leakwatch.agent.Agent;
import dev.leakwatch.agent.model.ProfileKind;
import dev.leakwatch.agent.testing.Fixtures;
import dev.leakwatch.agent.testing.Http;
import dev.leakwatch.agent.testing.TestConfigs;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The label rule ({@link dev.leakwatch.naming.Labels}) at the push endpoint: names, count and value
 * lengths are checked with the other parameters, before the body is read or anything buffered.
 */
class PushLabelsTest {
  private static final Instant NOW = Instant.parse("2026-01-31T12:00:00Z");
  private static final String RULE =
      " (a label name matches [a-zA-Z_][a-zA-Z0-9_]* (ASCII letters, digits and '_', not starting"
          + " with a digit) and has at most 128 characters)";

  /** The query of a heap push by orders/orders-0 with {@code labels} as label parameters. */
  private static Map<String, List<String>> query(Map<String, String> labels) {
    Map<String, List<String>> q = new LinkedHashMap<>();
    q.put("service", List.of("orders"));
    q.put("instance", List.of("orders-0"));
    q.put("type", List.of("heap"));
    labels.forEach((name, value) -> q.put("label." + name, List.of(value)));
    return q;
  }

  private static String refusal(Map<String, String> labels) {
    PushRejection r =
        assertThrows(PushRejection.class, () -> PushRequest.parse(query(labels), NOW));
    assertEquals(400, r.status());
    assertEquals("bad_parameter", r.code());
    return r.getMessage();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "dash | git-sha | label 'git-sha': name contains '-' at index 3",
        "dot | app.version | label 'app.version': name contains '.' at index 3",
        "leading digit | 1st | label '1st': name starts with a digit at index 0",
        "non-ASCII letter | régión | label 'régión': name contains U+00E9 at index 1",
        "blank inside | a b | label 'a b': name contains U+0020 at index 1",
      })
  void shouldRefuseALabelNameOutsideTheRuleNamingTheLabelAndTheRule(
      String what, String name, String message) {
    assertEquals(message + RULE, refusal(Map.of(name, "v")));
  }

  @Test
  void shouldRefuseALabelNameLongerThan128Characters() {
    String name = "n".repeat(129);
    assertEquals(
        "label '" + "n".repeat(64) + "'...: name is longer than 128 characters (129)" + RULE,
        refusal(Map.of(name, "v")));
  }

  @Test
  void shouldRefuseALabelValueLongerThan1024Characters() {
    assertEquals(
        "label 'version': value is longer than 1024 characters (1025)",
        refusal(Map.of("version", "v".repeat(1025))));
  }

  @Test
  void shouldRefuseMoreThan64Labels() {
    Map<String, String> labels = new LinkedHashMap<>();
    for (int i = 0; i < 65; i++) {
      labels.put("l" + i, "v");
    }
    assertEquals("more than 64 labels (65)", refusal(labels));
  }

  @Test
  void shouldAcceptLabelsAtEveryBound() {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("_" + "N".repeat(127), "é".repeat(1024));
    for (int i = 1; i < 64; i++) {
      labels.put("label_" + i, "");
    }
    assertEquals(labels, PushRequest.parse(query(labels), NOW).labels());
  }

  @Test
  void shouldAnswer400BeforeBufferingAPushWithABadLabelName() {
    try (Agent agent =
        Agent.start(
            TestConfigs.parse(
                TestConfigs.kafka(TestConfigs.unreachableBootstrap())
                    + "push:\n  allowUnauthenticated: true\n",
                Path.of(".")))) {
      Http http = new Http(agent.httpPort());
      HttpResponse<String> r =
          http.send(
              http.request("/ingest?service=orders&instance=orders-0&type=heap&label.git-sha=abc")
                  .POST(BodyPublishers.ofByteArray(Fixtures.profile(ProfileKind.HEAP))));
      assertEquals(400, r.statusCode(), r.body());
      JsonNode json = Http.json(r);
      assertEquals("bad_parameter", json.get("error").asText());
      assertEquals("label 'git-sha': name contains '-' at index 3" + RULE, json.get("message").asText());
      assertEquals(0, agent.buffer().accepted());
    }
  }
}
