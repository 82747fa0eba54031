package dev.leakwatch.agent.scrape;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Almost every Go process in a fleet today answers {@code goroutineleak} with 404 (the profile
 * needs Go 1.26 and an opt-in): that is logged once per target, not again at every re-probe, which
 * would be thousands of lines an hour for a large fleet. Against a real HTTP server that answers
 * as {@code net/http/pprof} does.
 */
class NotServedLoggingTest {
  private static final Duration INTERVAL = Duration.ofSeconds(30);
  private static final Duration REPROBE = Duration.ofMinutes(30);

  @Test
  void shouldLogAMissingOptionalProfileOnceNotAtEveryReprobe() throws Exception {
    ManualScheduler scheduler = new ManualScheduler();
    MutableClock clock = new MutableClock(Instant.parse("2025-01-31T12:00:00Z"));
    Semaphore permits = new Semaphore(1);
    List<ProfileKind> published = new CopyOnWriteArrayList<>();
    PrintStream stderr = System.err; // where slf4j-simple writes
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    try (FixtureTarget go = new FixtureTarget()) {
      Target target =
          new Target(
              new TargetId("orders", "orders-0"),
              URI.create("http://127.0.0.1:" + go.port() + "/debug/pprof"),
              List.of(ProfileKind.HEAP, ProfileKind.GOROUTINELEAK), INTERVAL,
              Duration.ofSeconds(5), Map.of(), null);
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
        for (int round = 0; round < 3; round++) {
          scheduler.runNext(); // asks for goroutineleak in the first round and after each re-probe
          loop.awaitRound(System.nanoTime() + Duration.ofSeconds(30).toNanos());
          clock.advance(REPROBE);
        }
      } finally {
        System.setErr(stderr);
        loop.close();
      }
    }
    String text = log.toString(StandardCharsets.UTF_8);
    assertEquals(List.of(ProfileKind.HEAP, ProfileKind.HEAP, ProfileKind.HEAP), published);
    assertEquals(1, count(text, "does not serve /debug/pprof/goroutineleak"), text);
  }

  private static int count(String text, String what) {
    Matcher m = Pattern.compile(Pattern.quote(what)).matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }
}
