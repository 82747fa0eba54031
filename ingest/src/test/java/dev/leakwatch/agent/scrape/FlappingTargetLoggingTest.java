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
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;

/**
 * A flapping target (an intermittent network, a process restarting in a loop) fails every other
 * round. Each failure began a new run of failures and each success ended one, so it logged a WARN
 * and an INFO line every two rounds for as long as it flapped: 600 lines a second for 10,000 such
 * targets at a 30 s interval. The same failures again within {@link Duration.ofMinutes(30)} of the line
 * that logged them are now counted in the summary like any repeat, with their recoveries; new
 * reasons, and the same ones after {@code QUIET}, are logged. Real HTTP against a served fixture.
 */
class FlappingTargetLoggingTest {
  private static final Duration INTERVAL = Duration.ofSeconds(30);
  private static final List<ProfileKind> BOTH = List.of(ProfileKind.HEAP, ProfileKind.GOROUTINE);

  @Test
  void shouldLogAFlappingTargetsFailureAndRecoveryOnceWithinTheQuietTimeAndCountEveryFailure()
      throws Exception {
    try (FixtureTarget go = new FixtureTarget(); Run run = new Run(go)) {
      run.rounds(40, round -> flip(go, round % 2 == 0, BOTH)); // 20 failed rounds in 20 min
      assertEquals(1, count(run.log, "failed, round 1 in a row"), run.log);
      assertEquals(1, count(run.log, "recovered after 1 failed rounds"), run.log);
      assertTrue(count(run.log, "failed rounds of 1 targets") >= 1, "counted in the summary: " + run.log);
      assertEquals(40, run.failures(), "every failed scrape is counted");
    }
  }

  @Test
  void shouldLogTheSameFailureAgainOnceTheQuietTimeHasPassed() throws Exception {
    try (FixtureTarget go = new FixtureTarget(); Run run = new Run(go)) {
      run.rounds(4, round -> flip(go, round % 2 == 0, BOTH));
      run.clock.advance(FailureLog.QUIET);
      run.rounds(4, round -> flip(go, round % 2 == 0, BOTH));
      assertEquals(2, count(run.log, "failed, round 1 in a row"), run.log);
      assertEquals(2, count(run.log, "recovered after 1 failed rounds"), run.log);
    }
  }

  @Test
  void shouldLogAProfileFlappingWhileTheOthersSucceedOnceWithinTheQuietTime() throws Exception {
    try (FixtureTarget go = new FixtureTarget(); Run run = new Run(go)) {
      run.rounds(20, round -> flip(go, round % 2 == 0, List.of(ProfileKind.HEAP)));
      assertEquals(1, count(run.log, "/debug/pprof/heap failing: HTTP 404"), run.log);
      assertEquals(1, count(run.log, "heap recovered"), run.log);
      assertEquals(0, count(run.log, "in a row"), "no round failed: goroutine succeeded " + run.log);
      assertEquals(10, run.failures());
    }
  }

  /** A round that ends a run of failures while a profile still fails says so, and its recovery later. */
  @Test
  void shouldNameWhatStillFailsWhenARunOfFailedRoundsEnds() throws Exception {
    try (FixtureTarget go = new FixtureTarget(); Run run = new Run(go)) {
      run.rounds(4, round -> {
        flip(go, round == 0, List.of(ProfileKind.HEAP));
        flip(go, round <= 1, List.of(ProfileKind.GOROUTINE));
      });
      assertEquals(1, count(run.log, "failed, round 1 in a row"), run.log);
      assertEquals(1, count(run.log,
          "recovered after 1 failed rounds; still failing: goroutine: HTTP 404"), run.log);
      assertEquals(1, count(run.log, ": goroutine recovered"), run.log);
      assertEquals(0, count(run.log, ": heap recovered"), "the round's recovery told it: " + run.log);
    }
  }

  private static void flip(FixtureTarget go, boolean down, List<ProfileKind> kinds) {
    for (ProfileKind k : kinds) {
      if (down) {
        go.withhold(k);
      } else {
        go.serve(k);
      }
    }
  }


  /** One target's loop on a manual scheduler and clock, its log captured. */
  private static final class Run implements AutoCloseable {
    final MutableClock clock = new MutableClock(Instant.parse("2025-01-31T12:00:00Z"));
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final ManualScheduler scheduler = new ManualScheduler();
    final TargetLoop loop;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final PrintStream stderr = System.err; // where slf4j-simple writes
    String log = "";

    Run(FixtureTarget go) {
      Target target =
          new Target(
              new TargetId("orders", "orders-0"),
              URI.create("http://127.0.0.1:" + go.port() + "/debug/pprof"),
              BOTH, INTERVAL, Duration.ofSeconds(5), Map.of(), null);
      AgentMetrics metrics = new AgentMetrics(registry);
      loop =
          new TargetLoop(
              target,
              new ScrapeContext(
                  new HttpProfileFetcher("test"), (t, kind, time, body) -> {}, scheduler,
                  new Pacing(0.0, Duration.ofMinutes(5), () -> 0.5), clock, metrics,
                  new Semaphore(1), 16 << 20, Duration.ofMinutes(30)),
              metrics.forTarget(target.id()));
      System.setErr(new PrintStream(out, true, StandardCharsets.UTF_8));
      loop.start();
    }

    /** Runs {@code rounds} rounds, {@link #INTERVAL} apart, calling {@code before} with each round's number first. */
    void rounds(int rounds, IntConsumer before) throws Exception {
      for (int round = 0; round < rounds; round++) {
        before.accept(round);
        scheduler.runNext();
        loop.awaitRound(System.nanoTime() + Duration.ofSeconds(30).toNanos());
        clock.advance(INTERVAL);
      }
      log = out.toString(StandardCharsets.UTF_8);
    }

    double failures() {
      return registry.find("leakwatch.agent.scrape.failures").counters().stream()
          .mapToDouble(Counter::count).sum();
    }

    @Override
    public void close() {
      System.setErr(stderr);
      loop.close();
    }
  }
}
