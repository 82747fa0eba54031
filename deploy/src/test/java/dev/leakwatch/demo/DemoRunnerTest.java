package dev.leakwatch.demo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leakwatch.alerting.AlertBridge;
import dev.leakwatch.alerting.AlertSettings;
import dev.leakwatch.alerting.RealAlertmanager;
import dev.leakwatch.processor.ProcessorConfig;
import dev.leakwatch.schemas.avro.SuspectKind;
import dev.leakwatch.schemas.avro.SuspectStatus;
import dev.leakwatch.topology.eval.CorpusScenario;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo end to end, as {@code ./leakwatch demo} runs it: a child-JVM broker, the processor with
 * its API, a paced replay of the project's recorded corpus. Expectations come from the corpus
 * manifests' labels, never from a previous run.
 */
class DemoRunnerTest {

  @TempDir Path work;

  private static HttpResponse<String> get(String url) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * The alert bridge, one round against the demo's real API into a real Alertmanager (when one is
   * installed): every open suspect, and nothing else, is an alert there.
   */
  private void alertsShouldMatchOpenSuspects(URI api, String openSuspects) throws Exception {
    var binary = RealAlertmanager.binary();
    if (binary.isEmpty()) {
      return; // AlertBridgeTest says so as a skip; the demo's own checks still run
    }
    Set<String> expected = new TreeSet<>();
    new ObjectMapper().readTree(openSuspects).path("suspects")
        .forEach(s -> expected.add(s.path("service").asText() + "/" + s.path("suspectId").asText()));
    try (RealAlertmanager alertmanager = new RealAlertmanager(binary.get(), Files.createDirectories(work.resolve("am")))) {
      AlertBridge.Round round = new AlertBridge(new AlertSettings(api, null, List.of(alertmanager.url),
          Duration.ofHours(6), Duration.ofHours(1), api, null, Map.of(), Duration.ofSeconds(30))).round(Instant.now());
      assertEquals(List.of(), round.problems(), round.line());
      Set<String> held = new TreeSet<>();
      alertmanager.alerts().forEach(a -> held.add(a.path("labels").path("service").asText() + "/"
          + a.path("labels").path("suspect_id").asText()));
      assertFalse(expected.isEmpty(), openSuspects);
      assertEquals(expected, held);
    }
  }

  /**
   * A demo of the project's corpus (the test is skipped without it) with 5 s windows and the
   * detection settings of {@code detectionYaml}, printing to {@code out} and {@code err}.
   */
  private DemoRunner demo(double speed, boolean exitWhenDone, String detectionYaml, StringWriter out, StringWriter err) {
    String testdata = System.getProperty("leakwatch.testdata");
    assumeTrue(testdata != null && Files.isDirectory(Path.of(testdata, "corpus")), "testdata/corpus not available");
    return new DemoRunner(new DemoRunner.Settings(Path.of(testdata, "corpus"), new ReplayTiming(speed, false),
        Duration.ofSeconds(110), exitWhenDone, 256L << 20, work.resolve("demo"),
        ProcessorConfig.parse("windows: {size: 5s}\n" + detectionYaml), 0),
        new PrintWriter(out, true), new PrintWriter(err, true));
  }

  /** Goroutine suspects get an OOM projection too (since session 21): the intro says so. */
  @Test
  void shouldSayBothSuspectKindsShowTheirOomWhenAMemoryLimitIsGiven() {
    String note = DemoRunner.memoryLimitNote(256L << 20);
    assertTrue(note.contains("256 MiB"), note);
    assertTrue(note.contains("heap and goroutine suspects"), note);
  }

  @Test
  void shouldPrintSuspectsForEveryLeakingServiceAndNoneForHealthyOnes() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    DemoRunner runner = demo(4, false, "", out, err);
    Set<Long> childrenBefore = ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet());

    CompletableFuture<DemoRunner.Report> run = CompletableFuture.supplyAsync(runner::run);
    List<String> apiLines;
    String openSuspects;
    try {
      await().atMost(Duration.ofSeconds(100)).until(() -> run.isDone() || out.toString().contains("replayed profiles processed"));
      assertFalse(run.isDone(), out + "\n" + err);
      // The URLs printed work while the demo runs: every suspect's details, the UI, the open suspects.
      apiLines = out.toString().lines().filter(l -> l.startsWith("  http://")).toList();
      for (String line : apiLines.stream().filter(l -> l.contains("/suspects/")).toList()) {
        HttpResponse<String> r = get(line.trim());
        assertEquals(200, r.statusCode(), line + ": " + r.body());
      }
      String suspectsUrl = apiLines.stream().map(String::trim).filter(l -> l.contains("/api/v1/suspects "))
          .findFirst().orElseThrow().split(" ")[0];
      String ui = out.toString().lines().filter(l -> l.startsWith("Web UI: ")).findFirst().orElseThrow()
          .substring("Web UI: ".length()).split(" ")[0];
      HttpResponse<String> page = get(ui);
      assertEquals(200, page.statusCode(), ui);
      assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), ui);
      HttpResponse<String> open = get(suspectsUrl);
      assertEquals(200, open.statusCode(), open.body());
      openSuspects = open.body();
      alertsShouldMatchOpenSuspects(URI.create(suspectsUrl).resolve("/"), openSuspects);
    } finally {
      runner.stop();
    }
    DemoRunner.Report report = run.get(60, TimeUnit.SECONDS);

    String printed = out.toString();
    assertEquals(LocalSession.Ending.STOPPED, report.ending(), printed + err);
    assertTrue(report.replay().complete(), "every recorded profile published");
    assertTrue(report.processedAll());
    List<CorpusScenario> scenarios = report.scenarios();
    assertTrue(scenarios.stream().anyMatch(s -> s.leak() && s.leakKind().equals("heap")));
    assertTrue(scenarios.stream().anyMatch(s -> s.leak() && s.leakKind().equals("goroutine")));
    assertTrue(scenarios.stream().anyMatch(s -> !s.leak()));
    for (CorpusScenario s : scenarios) {
      List<SuspectTally.Entry> suspects = report.tally().suspects(s.service());
      assertEquals(s.leak(), openSuspects.contains("\"" + s.service() + "\""), "API's open suspects: " + openSuspects);
      if (s.leak()) {
        SuspectKind kind = SuspectKind.valueOf(s.leakKind().toUpperCase(Locale.ROOT));
        assertTrue(suspects.stream().anyMatch(e -> e.latest().getKind() == kind
                && s.leakSiteFunctions().contains(e.latest().getSite().getFunction())),
            s.service() + " leaks (" + s.leakKind() + ") at " + s.leakSiteFunctions() + ": " + suspects);
        assertTrue(printed.lines().anyMatch(l -> l.contains(" " + SuspectStatus.OPEN + " ")
            && l.contains(" " + s.service() + " " + kind + " ")), "an OPEN line for " + s.service() + ":\n" + printed);
      } else {
        assertTrue(suspects.isEmpty(), s.service() + " is healthy but got " + suspects);
        assertFalse(printed.lines().anyMatch(l -> l.contains(" " + s.service() + " HEAP ")
            || l.contains(" " + s.service() + " GOROUTINE ")), printed);
      }
    }
    assertTrue(printed.contains("Summary: "), printed);
    assertTrue(ProcessHandle.current().children().filter(ProcessHandle::isAlive)
        .allMatch(c -> childrenBefore.contains(c.pid())), "the broker's JVM was stopped");
    assertFalse(Files.exists(work.resolve("demo").resolve(Long.toString(ProcessHandle.current().pid()))),
        "the run's scratch directory was deleted");
  }

  /**
   * With {@code judge: false} for the recorded heap leak's service, the summary says which rule left
   * that leak without a suspect (the line the processor logs and eval prints), rather than only
   * "no suspect" next to "recorded as: leak".
   */
  @Test
  void shouldNameTheRuleInTheSummaryWhenARecordedLeakIsLeftUnjudged() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    DemoRunner runner = demo(8, true, "detection:\n  services:\n    - match: session-store\n      judge: false\n",
        out, err);

    DemoRunner.Report report = runner.run();

    String printed = out.toString();
    assertEquals(LocalSession.Ending.DONE, report.ending(), printed + err);
    assertTrue(report.scenarios().stream().anyMatch(s -> s.service().equals("session-store") && s.leak()));
    assertEquals(List.of(), report.tally().suspects("session-store"));
    String line = printed.lines().filter(l -> l.startsWith("  session-store ")).reduce((a, b) -> b).orElseThrow();
    assertTrue(line.contains("no suspect") && line.endsWith("recorded as: leak (heap), left unjudged by "
        + "detection.services[0]: services [session-store] not judged"), printed);
    assertFalse(printed.lines().filter(l -> l.startsWith("  push-worker ")).anyMatch(l -> l.contains("unjudged")),
        "a judged leak carries no note:\n" + printed);
  }
}
