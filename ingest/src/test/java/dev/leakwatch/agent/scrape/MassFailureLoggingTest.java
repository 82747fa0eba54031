package dev.leakwatch.agent.scrape;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.agent.metrics.AgentMetrics;
import dev.leakwatch.agent.model.ProfileKind;
import dev.leakwatch.agent.model.Target;
import dev.leakwatch.agent.model.TargetId;
import dev.leakwatch.agent.testing.ManualScheduler;
import dev.leakwatch.agent.testing.MutableClock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A network partition takes every target of a large agent down at once. Each target's first failed
 * round is logged, as are changes of its reasons; the same failure again, round after round, is not
 * one line per target and round (10,000 targets at the 5-minute backoff cap were 33 lines a second
 * for as long as the partition lasted) but a summary with its counts at most once a minute. The
 * counters still count every failed scrape. Real HTTP client against a port that refuses connections.
 */
class MassFailureLoggingTest {
  private static final int TARGETS = 1000;
  private static final int ROUNDS = 5;

  @Test
  void shouldLogEachTargetsFirstFailedRoundThenSummariesWhenAllTargetsStayDown() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort(); // closed again before any scrape: connections are refused
    }
    ManualScheduler scheduler = new ManualScheduler();
    MutableClock clock = new MutableClock(Instant.parse("2025-01-31T12:00:00Z"));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ScrapeManager manager =
        new ScrapeManager(
            new ScrapeContext(
                new HttpProfileFetcher("test"), (t, kind, time, body) -> {}, scheduler,
                new Pacing(0.1, Duration.ofMinutes(5)), clock, new AgentMetrics(registry),
                new Semaphore(TARGETS), 16 << 20, Duration.ofMinutes(30)));
    List<Target> targets =
        IntStream.range(0, TARGETS)
            .mapToObj(
                i ->
                    new Target(
                        new TargetId("orders", "orders-" + i),
                        URI.create("http://127.0.0.1:" + closedPort + "/debug/pprof"),
                        List.of(ProfileKind.HEAP, ProfileKind.GOROUTINE), Duration.ofSeconds(30),
                        Duration.ofSeconds(5), Map.of(), null))
            .toList();

    PrintStream stderr = System.err; // where slf4j-simple writes
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    try {
      manager.apply(targets);
      for (int round = 0; round < ROUNDS; round++) {
        for (int i = 0; i < TARGETS; i++) {
          scheduler.runNext();
        }
        // every loop schedules its next round when this one has ended
        await().atMost(Duration.ofMinutes(2)).until(() -> scheduler.pendingCount() == TARGETS);
        clock.advance(Duration.ofMinutes(5)); // the backoff cap: one round per target every 5 minutes
      }
    } finally {
      System.setErr(stderr);
      manager.close();
    }
    String text = log.toString(StandardCharsets.UTF_8);
    List<String> lines = text.lines().toList();

    double failures =
        registry.find("leakwatch.agent.scrape.failures").counters().stream().mapToDouble(Counter::count).sum();
    assertEquals(TARGETS * ROUNDS, failures, "every failed scrape is still counted");
    assertEquals(TARGETS, lines.stream().filter(l -> l.contains("failed, round 1 in a row")).count(),
        "each target's first failed round is logged");
    assertEquals(0, lines.stream().filter(l -> l.contains("failed, round 2 in a row")).count(),
        "the same failure again is not one line per target: " + lines.size() + " lines");
    List<String> summaries = lines.stream().filter(l -> l.contains("failed rounds of")).toList();
    assertTrue(!summaries.isEmpty() && summaries.size() < ROUNDS, "a summary at most once a minute: " + summaries);
    assertTrue(summaries.get(0).contains("connect"), "the summary counts by reason: " + summaries.get(0));
    assertTrue(lines.size() <= TARGETS + ROUNDS + 1, "bounded: " + lines.size() + " lines");
  }
}
