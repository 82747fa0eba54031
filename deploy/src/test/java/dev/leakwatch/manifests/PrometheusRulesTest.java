package dev.leakwatch.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * deploy/prometheus/leakwatch-rules.yaml: judged by Prometheus' own {@code promtool} (its syntax and
 * its unit tests, leakwatch-rules.test.yaml; skipped without it: {@code apt-get install prometheus}),
 * and held to the metrics the docs list, so a renamed metric cannot leave a rule that never fires.
 */
class PrometheusRulesTest {

  private static final Path DIR = Manifests.DEPLOY.resolve("prometheus");
  private static final Path RULES = DIR.resolve("leakwatch-rules.yaml");
  private static final Pattern METRIC = Pattern.compile("\\bleakwatch_[a-z_]+");

  private static Set<String> names(String text) {
    Set<String> out = new TreeSet<>();
    Matcher m = METRIC.matcher(text);
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  @Test
  void shouldUseOnlyMetricsTheDocsListAndBeListedInOperations() throws Exception {
    Path docs = Manifests.DEPLOY.getParent().resolve("docs");
    Set<String> documented = names(Files.readString(docs.resolve("API.md")) + Files.readString(docs.resolve("INGEST.md"))
        + Files.readString(docs.resolve("OPERATIONS.md")));
    Set<String> used = new TreeSet<>();
    Set<String> alerts = new TreeSet<>();
    for (JsonNode group : Manifests.documents(RULES).get(0).path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        used.addAll(names(rule.path("expr").asText()));
        alerts.add(rule.path("alert").asText());
      }
    }
    assertFalse(used.isEmpty());
    used.removeAll(documented);
    assertEquals(Set.of(), used, "metrics in the rules that docs/API.md, INGEST.md and OPERATIONS.md do not list");
    String operations = Files.readString(docs.resolve("OPERATIONS.md"));
    assertEquals(Set.of(), new TreeSet<>(alerts.stream().filter(a -> !operations.contains("`" + a + "`")).toList()),
        "alerts docs/OPERATIONS.md does not name");
  }

  @Test
  void shouldPassPromtoolsCheckAndTheRulesUnitTests() throws Exception {
    Path promtool = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .map(d -> Path.of(d, "promtool")).filter(Files::isExecutable).findFirst().orElse(null);
    assumeTrue(promtool != null, "no promtool (apt-get install prometheus)");
    for (String[] args : new String[][] {{"check", "rules", "leakwatch-rules.yaml"},
        {"test", "rules", "leakwatch-rules.test.yaml"}}) {
      Process p = new ProcessBuilder(Stream.concat(Stream.of(promtool.toString()), Stream.of(args)).toList())
          .directory(DIR.toFile()).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes());
      assertEquals(true, p.waitFor(60, TimeUnit.SECONDS), "promtool " + String.join(" ", args) + " did not finish");
      assertEquals(0, p.exitValue(), "promtool " + String.join(" ", args) + ":\n" + output);
    }
  }
}
