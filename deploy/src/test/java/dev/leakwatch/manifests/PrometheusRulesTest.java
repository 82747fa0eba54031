package dev.leakwatch.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * and held to the metrics the docs list, so a renamed metric cannot leave a rule that never fires, and
 * to the runbooks of docs/OPERATIONS.md, so a page always links to a section that says what to do.
 */
class PrometheusRulesTest {

  private static final Path DIR = Manifests.DEPLOY.resolve("prometheus");
  private static final Path RULES = DIR.resolve("leakwatch-rules.yaml");
  private static final Pattern METRIC = Pattern.compile("\\bleakwatch_[a-z_]+");
  /**
   * The one base every rule's runbook_url starts with: a placeholder (.invalid never resolves) that
   * users replace with where they serve docs/OPERATIONS.md, by the sed command that file gives.
   */
  private static final String RUNBOOK_BASE = "https://leakwatch.invalid/docs/OPERATIONS.md";
  /** The alert {@code ./leakwatch alerts} posts; its runbook is what the docs tell users to pass as --runbook-url. */
  private static final String BRIDGE_ALERT = "LeakwatchLeakSuspect";
  private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.+?)\\s*#*\\s*$");
  private static final Pattern EXPLICIT_ANCHOR = Pattern.compile("<a\\s+(?:id|name)=\"([^\"]+)\"");

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

  /**
   * The fragments a Markdown file can be linked at: GitHub's anchor of every heading outside code
   * fences (lower case, punctuation but '-' and '_' dropped, spaces made '-', a repeated one suffixed
   * -1, -2, ...) and every explicit {@code <a id="...">} / {@code <a name="...">}.
   */
  static Set<String> anchors(String markdown) {
    Set<String> out = new TreeSet<>();
    Map<String, Integer> seen = new HashMap<>();
    boolean fenced = false;
    for (String line : markdown.split("\n")) {
      if (line.stripLeading().startsWith("```")) {
        fenced = !fenced;
        continue;
      }
      if (fenced) {
        continue;
      }
      Matcher explicit = EXPLICIT_ANCHOR.matcher(line);
      while (explicit.find()) {
        out.add(explicit.group(1));
      }
      Matcher heading = HEADING.matcher(line);
      if (heading.matches()) {
        String slug = heading.group(1).toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
        int n = seen.merge(slug, 1, Integer::sum) - 1;
        out.add(n == 0 ? slug : slug + "-" + n);
      }
    }
    return out;
  }

  @Test
  void shouldLinkEveryAlertToItsRunbookSectionInOperations() throws Exception {
    String operations = Files.readString(Manifests.DEPLOY.getParent().resolve("docs").resolve("OPERATIONS.md"));
    Set<String> anchors = anchors(operations);
    List<String> wrong = new ArrayList<>();
    for (JsonNode group : Manifests.documents(RULES).get(0).path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        String alert = rule.path("alert").asText();
        String expected = RUNBOOK_BASE + "#" + alert.toLowerCase(Locale.ROOT);
        JsonNode url = rule.path("annotations").path("runbook_url");
        if (!url.asText().equals(expected)) {
          wrong.add(alert + ": runbook_url is " + (url.isMissingNode() ? "missing" : "'" + url.asText() + "'")
              + ", not " + expected);
        } else if (!anchors.contains(alert.toLowerCase(Locale.ROOT))) {
          wrong.add(alert + ": docs/OPERATIONS.md has no heading or anchor #" + alert.toLowerCase(Locale.ROOT));
        }
      }
    }
    if (!anchors.contains(BRIDGE_ALERT.toLowerCase(Locale.ROOT))) {
      wrong.add(BRIDGE_ALERT + " (./leakwatch alerts --runbook-url): docs/OPERATIONS.md has no heading or anchor #"
          + BRIDGE_ALERT.toLowerCase(Locale.ROOT));
    }
    assertEquals(List.of(), wrong);
    assertTrue(operations.contains(RUNBOOK_BASE), "docs/OPERATIONS.md does not say how to replace " + RUNBOOK_BASE);
  }

  @Test
  void shouldComputeGithubsAnchorsOfHeadingsOutsideCodeAndOfExplicitAnchors() {
    assertEquals(Set.of("leakwatchdeadletters", "dead-letters", "dead-letters-1", "alerts-in-alertmanager", "by-hand"),
        anchors("### LeakwatchDeadLetters\n## Dead letters\n### Dead letters\n### Alerts in `Alertmanager`\n"
            + "```bash\n# a comment, not a heading\n```\nsee <a id=\"by-hand\"></a> here\n"));
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
