package dev.leakwatch.demo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leakwatch.agent.config.ConfigException;
import dev.leakwatch.agent.testing.PprofTarget;
import dev.leakwatch.agent.testing.TestConfigs;
import dev.leakwatch.processor.ProcessorConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code local}: the agent picks up a targets file written after the start, scrapes the real Go
 * process it lists, and the leak that process starts a few seconds later (the fixture program's
 * goroutine-leak scenario) is reported. Needs {@code go}; skipped without it (recorded profiles
 * served over HTTP never change, so nothing could grow).
 */
class LocalRunnerTest {

  @TempDir Path work;

  /** The labelled leak site of a fixture scenario, from testdata/goleaker/scenarios.json. */
  private static String leakSite(String scenario) throws Exception {
    JsonNode all = new ObjectMapper().readTree(Path.of(System.getProperty("leakwatch.testdata"), "goleaker",
        "scenarios.json").toFile());
    for (JsonNode s : all.path("scenarios")) {
      if (s.path("scenario").asText().equals(scenario)) {
        return s.path("leak_site_functions").get(0).asText();
      }
    }
    throw new IllegalStateException("no scenario " + scenario + " in scenarios.json");
  }

  @Test
  void shouldPickUpTargetsWrittenLaterAndReportTheLeakOfAScrapedGoService() throws Exception {
    Path targets = work.resolve("targets.yaml");
    StringWriter out = new StringWriter();
    LocalRunner runner = new LocalRunner(new LocalRunner.Settings(targets, Duration.ofSeconds(10),
        Duration.ofMinutes(4), work.resolve("local"), ProcessorConfig.parse("{}"), 0),
        new PrintWriter(out, true), new PrintWriter(new StringWriter(), true));
    CompletableFuture<LocalSession.Ending> run = CompletableFuture.supplyAsync(runner::run);
    try {
      await().atMost(Duration.ofMinutes(2)).until(() -> run.isDone() || out.toString().contains("Leak suspects are"));
      // Started only now, so that the first captures come before its leak does (growth that starts with
      // the series would be taken for warm-up).
      try (PprofTarget go = PprofTarget.start("goroutine-leak", work, List.of("-leak-delay", "12s"))) {
        assumeTrue(go.realGo(), "go is not available");
        Files.writeString(targets, "- service: push-worker\n  url: " + go.url() + "\n  instance: go-0\n"
            + "  interval: 1s\n  timeout: 1s\n  profiles: [heap, goroutine]\n");
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).until(() -> run.isDone()
            || out.toString().lines().anyMatch(l -> l.contains(" OPEN ") && l.contains(" push-worker GOROUTINE ")));
      }
    } finally {
      runner.stop();
    }
    assertEquals(LocalSession.Ending.STOPPED, run.get(60, TimeUnit.SECONDS), out.toString());
    String printed = out.toString();
    String site = leakSite("goroutine-leak");
    assertTrue(printed.contains("push-worker GOROUTINE " + site.substring(site.lastIndexOf('/') + 1)), printed);
    assertTrue(printed.contains("Summary: 1 of 1 services have leak suspects"), printed);
  }

  private LocalRunner runner(Path targets, Duration duration, StringWriter out) {
    return new LocalRunner(new LocalRunner.Settings(targets, Duration.ofSeconds(1), duration, work.resolve("local"),
        ProcessorConfig.parse("{}"), 0), new PrintWriter(out, true), new PrintWriter(new StringWriter(), true));
  }

  @Test
  void shouldGiveUpTheStartAndLeaveNothingBehindWhenStoppedWhileTheBrokerStarts() throws Exception {
    // Before, a stop (Ctrl-C) was looked at only once broker, processor and agent were all up: a minute
    // of start on a slow machine, which the shutdown hook's bounded wait could cut off half-way.
    StringWriter out = new StringWriter();
    LocalRunner runner = runner(work.resolve("targets.yaml"), Duration.ofMinutes(4), out);
    Set<Long> before = childPids();
    CompletableFuture<LocalSession.Ending> run = CompletableFuture.supplyAsync(runner::run);
    // a child JVM (the broker's storage format, then the broker) is there: the start is under way
    await().atMost(Duration.ofMinutes(1)).until(() -> run.isDone() || !difference(childPids(), before).isEmpty());
    runner.stop();

    ExecutionException stopped = assertThrows(ExecutionException.class, () -> run.get(2, TimeUnit.MINUTES));
    assertInstanceOf(StoppedWhileStartingException.class, stopped.getCause(), out.toString());
    assertFalse(out.toString().contains("Kafka at "), "the start went on to its end:\n" + out);
    await().atMost(Duration.ofMinutes(1)).until(() -> difference(childPids(), before).isEmpty());
    try (Stream<Path> left = Files.list(work.resolve("local"))) {
      assertEquals(List.of(), left.toList(), "the run directory is removed");
    }
  }

  private static Set<Long> childPids() {
    return ProcessHandle.current().children().filter(ProcessHandle::isAlive).map(ProcessHandle::pid)
        .collect(Collectors.toSet());
  }

  private static Set<Long> difference(Set<Long> a, Set<Long> b) {
    Set<Long> d = new HashSet<>(a);
    d.removeAll(b);
    return d;
  }

  @Test
  void shouldRefuseAMalformedOrEmptyTargetsFileBeforeStartingAnything() throws Exception {
    Path targets = work.resolve("targets.yaml");
    StringWriter out = new StringWriter();
    Files.writeString(targets, "- service: orders\n  url: http://127.0.0.1:6060\n  intervall: 2s\n");
    ConfigException malformed = assertTimeoutPreemptively(Duration.ofSeconds(60),
        () -> assertThrows(ConfigException.class, () -> runner(targets, Duration.ofSeconds(20), out).run()));
    assertTrue(malformed.getMessage().contains("[0].intervall: unknown key"), malformed.getMessage());

    Files.writeString(targets, "# nothing yet\n");
    ConfigException empty = assertTimeoutPreemptively(Duration.ofSeconds(60),
        () -> assertThrows(ConfigException.class, () -> runner(targets, Duration.ofSeconds(20), out).run()));
    assertEquals("no targets in " + targets, empty.getMessage());
    assertEquals("", out.toString(), "nothing started, nothing printed");
  }

  @Test
  void shouldListEveryScrapedServiceInTheSummaryAlsoWithoutSuspects() throws Exception {
    Path targets = work.resolve("targets.yaml");
    StringWriter out = new StringWriter();
    try (PprofTarget healthy = PprofTarget.start("plateau", work)) {
      Files.writeString(targets, "- service: product-cache\n  url: " + healthy.url() + "\n  instance: cache-0\n"
          + "  interval: 1s\n  profiles: [heap, goroutine]\n"
          + "- service: orders\n  url: http://" + TestConfigs.unreachableBootstrap() + "\n  instance: orders-0\n"
          + "  interval: 1s\n");

      // stopped as soon as the processor knows the healthy service and the agent has asked the other:
      // far too early for any suspect
      runUntil(targets, out, () -> servicesKnownTo(out.toString()).contains("\"product-cache\"")
          && agentMetrics(out.toString()).contains("outcome=\"failed\""));
    }

    String printed = out.toString();
    assertTrue(printed.contains("Summary: 0 of 2 services have leak suspects"), printed);
    assertTrue(printed.lines().anyMatch(l -> l.matches("  product-cache\\s+no suspect\\s*")), printed);
    assertTrue(printed.lines().anyMatch(l -> l.matches("  orders\\s+no suspect\\s*")), printed);
    assertTrue(printed.contains("No profile was ever scraped from orders/orders-0 "), printed);
  }

  /** Runs {@code local} on {@code targets} until {@code done} (or the run ends), then stops it: it must stop cleanly. */
  private void runUntil(Path targets, StringWriter out, Callable<Boolean> done) throws Exception {
    LocalRunner runner = runner(targets, null, out);
    CompletableFuture<LocalSession.Ending> run = CompletableFuture.supplyAsync(runner::run);
    try {
      await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
          .until(() -> run.isDone() || done.call());
    } finally {
      runner.stop();
    }
    assertEquals(LocalSession.Ending.STOPPED, run.get(60, TimeUnit.SECONDS), out.toString());
  }

  /** The service listing of the run's query API, whose address the run printed; "" before that. */
  private static String servicesKnownTo(String printed) throws Exception {
    return fetch(printed, "Web UI: (http://\\S+)/", "/api/v1/services");
  }

  /** {@code path} at the address the run printed (group 1 of {@code address}); "" before it did or on an error. */
  private static String fetch(String printed, String address, String path) throws Exception {
    Matcher m = Pattern.compile(address).matcher(printed);
    if (!m.find()) {
      return "";
    }
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(m.group(1) + path)).build(), HttpResponse.BodyHandlers.ofString());
    return r.statusCode() == 200 ? r.body() : "";
  }

  @Test
  void shouldNameTheTargetsThatNeverDeliveredAProfileInTheSummary() throws Exception {
    Path targets = work.resolve("targets.yaml");
    unreachableTarget(targets, "1s");
    StringWriter out = new StringWriter();

    // stopped once the agent has asked the target and failed: a run that ends before the first
    // round must not blame the target (shouldNotBlameATargetTheRunEndedBeforeAsking)
    runUntil(targets, out, () -> agentMetrics(out.toString()).contains("outcome=\"failed\""));

    assertTrue(out.toString().contains("No profile was ever scraped from orders/orders-0 "), out.toString());
  }

  @Test
  void shouldNotBlameATargetTheRunEndedBeforeAsking() throws Exception {
    Path targets = work.resolve("targets.yaml");
    // first round at a random point of the first hour: a 1 s run ends long before it
    unreachableTarget(targets, "1h");
    StringWriter out = new StringWriter();

    assertEquals(LocalSession.Ending.DURATION, runner(targets, Duration.ofSeconds(1), out).run(), out.toString());

    assertTrue(out.toString().contains("Not scraped yet when the run ended: orders/orders-0 "), out.toString());
    assertTrue(!out.toString().contains("No profile was ever scraped"), out.toString());
  }

  /** Writes a targets file of one target, orders/orders-0, that refuses every connection. */
  private static void unreachableTarget(Path targets, String interval) throws Exception {
    Files.writeString(targets, "- service: orders\n  url: http://" + TestConfigs.unreachableBootstrap() + "\n"
        + "  instance: orders-0\n  interval: " + interval + "\n");
  }

  /** The scrape counters on the run's agent's /metrics, whose address the run printed; "" before that. */
  private static String agentMetrics(String printed) throws Exception {
    return fetch(printed, "its targets at (http://\\S+)/targets", "/metrics").lines()
        .filter(l -> l.startsWith("leakwatch_agent_scrapes_total")).reduce("", (a, b) -> a + b + "\n");
  }
}
