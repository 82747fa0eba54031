package dev.leakwatch.agent.scrape;

import static dev.leakwatch.agent.testing.LogText.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.agent.metrics.AgentMetrics;
import dev.leakwatch.agent.model.ProfileKind;
import dev.leakwatch.agent.model.Target;
import dev.leakwatch.agent.model.TargetId;
import dev.leakwatch.agent.testing.FixtureTarget;
import dev.leakwatch.agent.testing.ManualScheduler;
import dev.leakwatch.agent.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;

/**
 * Almost every Go process in a fleet today answers {@code goroutineleak} with 404 (the profile
 * needs Go 1.26 and an opt-in): that is logged once per target, not again at every re-probe, which
 * would be thousands of lines an hour for a large fleet, and never as a failure. A 404 for heap,
 * goroutine or allocs is a failure and is logged as one. Against a real HTTP server that answers
 * as {@code net/http/pprof} does.
 */
class NotServedLoggingTest {
  private static final Duration INTERVAL = Duration.ofSeconds(30);
  private static final Duration REPROBE = Duration.ofMinutes(30);

  @Test
  void shouldLogAMissingOptionalProfileOnceNotAtEveryReprobe() throws Exception {
    List<ProfileKind> published = new CopyOnWriteArrayList<>();
    String text;
    try (FixtureTarget go = new FixtureTarget()) {
      text = rounds(go, "/debug/pprof", List.of(ProfileKind.HEAP, ProfileKind.GOROUTINELEAK), 3, published);
    }
    assertEquals(List.of(ProfileKind.HEAP, ProfileKind.HEAP, ProfileKind.HEAP), published);
    assertEquals(1, count(text, "does not serve /debug/pprof/goroutineleak"), text);
  }

  /** A URL that serves no profile at all: the round fails for heap; goroutineleak is only not served. */
  @Test
  void shouldLeaveANotServedOptionalProfileOutOfAFailedRoundsWarning() throws Exception {
    String text;
    try (FixtureTarget go = new FixtureTarget()) {
      text = rounds(go, "/api", List.of(ProfileKind.HEAP, ProfileKind.GOROUTINELEAK), 1, new CopyOnWriteArrayList<>());
    }
    String warning = text.lines().filter(l -> l.contains("failed, round 1 in a row")).findFirst().orElseThrow(
        () -> new AssertionError("no failed-round warning: " + text));
    assertTrue(warning.contains("heap: HTTP 404"), warning);
    assertTrue(!warning.contains("goroutineleak"), "goroutineleak is not served, not failing: " + warning);
    assertEquals(1, count(text, "does not serve /debug/pprof/goroutineleak"), text);
  }

  /** A 404 for heap is a failure (docs/INGEST.md), so it is named when it starts, as other failures are. */
  @Test
  void shouldWarnOfAMandatoryProfileAnsweredWith404WhenTheOthersSucceed() throws Exception {
    List<ProfileKind> published = new CopyOnWriteArrayList<>();
    String text;
    try (FixtureTarget go = new FixtureTarget()) {
      go.withhold(ProfileKind.HEAP);
      text = rounds(go, "/debug/pprof", List.of(ProfileKind.HEAP, ProfileKind.GOROUTINE), 2, published);
    }
    assertEquals(List.of(ProfileKind.GOROUTINE, ProfileKind.GOROUTINE), published);
    assertEquals(1, count(text, "/debug/pprof/heap failing: HTTP 404"), "once, when it starts: " + text);
  }

  /** Runs {@code rounds} scrape rounds of one target at {@code base}; returns what was logged. */
  private static String rounds(FixtureTarget go, String base, List<ProfileKind> profiles, int rounds,
      List<ProfileKind> published) throws Exception {
    ManualScheduler scheduler = new ManualScheduler();
    MutableClock clock = new MutableClock(Instant.parse("2025-01-31T12:00:00Z"));
    Semaphore permits = new Semaphore(1);
    PrintStream stderr = System.err; // where slf4j-simple writes
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    Target target =
        new Target(
            new TargetId("orders", "orders-0"),
            URI.create("http://127.0.0.1:" + go.port() + base),
            profiles, INTERVAL, Duration.ofSeconds(5), Map.of(), null);
    AgentMetrics metrics = new AgentMetrics(new SimpleMeterRegistry());
    TargetLoop loop =
        new TargetLoop(
            target,
            new ScrapeContext(
                new HttpProfileFetcher("test"), (t, kind, time, body) -> published.add(kind),
                scheduler, new Pacing(0.0, Duration.ofMinutes(5), () -> 0.5), clock, metrics,
                permits, 16 << 20, REPROBE),
            metrics.forTarget(target.id()));
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    try {
      loop.start();
      for (int round = 0; round < rounds; round++) {
        scheduler.runNext(); // asks for goroutineleak in the first round and after each re-probe
        loop.awaitRound(System.nanoTime() + Duration.ofSeconds(30).toNanos());
        clock.advance(REPROBE);
      }
    } finally {
      System.setErr(stderr);
      loop.close();
    }
    return log.toString(StandardCharsets.UTF_8);
  }

}
