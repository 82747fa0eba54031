package dev.leakwatch.agent.scrape;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leakwatch.agent.metrics.AgentMetrics;
import dev.leakwatch.agent.model.ProfileKind;
import dev.leakwatch.agent.model.Target;
import dev.leakwatch.agent.model.TargetId;
import dev.leakwatch.agent.testing.FixtureTarget;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.ref.WeakReference;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Discovery churn (pods coming and going) on the agent's real scrape machinery: a fixture target
 * scraped over HTTP, the production scheduler and a Prometheus registry. After 2,000 targets came,
 * were scraped once and went, the agent must hold no more than before: no meter, no thread, and
 * nothing of the removed targets themselves.
 */
class ScrapeChurnTest {
  private static final int BATCHES = 20;
  private static final int PER_BATCH = 100;
  /** Long enough that no removed target's next round comes due while the test runs. */
  private static final Duration INTERVAL = Duration.ofHours(1);

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AgentMetrics metrics = new AgentMetrics(registry);
  /** This test's own: another test's scheduler may still be ending. */
  private final String schedulerThread = "leakwatch-churn-scheduler-" + System.nanoTime();
  private final ExecutorScheduler scheduler = new ExecutorScheduler(schedulerThread);
  private final AtomicInteger profiles = new AtomicInteger();
  private final List<WeakReference<Target>> removed = new ArrayList<>();
  private FixtureTarget pprof;
  private ScrapeManager manager;

  @AfterEach
  void stop() {
    if (manager != null) {
      manager.close();
    }
    scheduler.close();
    if (pprof != null) {
      pprof.close();
    }
    registry.close();
  }

  /** Adds {@link #BATCHES} batches of targets, each scraped once, then removed. */
  private void churn() throws Exception {
    pprof = new FixtureTarget();
    manager =
        new ScrapeManager(
            new ScrapeContext(
                new HttpProfileFetcher("leakwatch-agent/churn"),
                (t, k, time, body) -> profiles.incrementAndGet(),
                scheduler,
                new Pacing(0, INTERVAL, () -> 0.0), // first round at once, the next an interval later
                Clock.systemUTC(), metrics, new Semaphore(PER_BATCH), 1 << 20, Duration.ofMinutes(30)));
    for (int b = 0; b < BATCHES; b++) {
      List<Target> batch = new ArrayList<>();
      for (int i = 0; i < PER_BATCH; i++) {
        batch.add(target("pod-" + b + "-" + i));
      }
      manager.apply(batch);
      int scraped = (b + 1) * PER_BATCH;
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
          .until(() -> profiles.get() == scraped);
      manager.apply(List.of());
      batch.forEach(t -> removed.add(new WeakReference<>(t)));
    }
  }

  private Target target(String instance) {
    return new Target(
        new TargetId("churn", instance), URI.create("http://127.0.0.1:" + pprof.port() + "/debug/pprof"),
        List.of(ProfileKind.HEAP), INTERVAL, Duration.ofSeconds(10), Map.of(), null);
  }

  private long stillReachable() {
    return removed.stream().filter(r -> r.get() != null).count();
  }

  private static long threadsNamed(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith(prefix))
        .count();
  }

  @Test
  void shouldReturnToTheBaselineMetersAndThreadsWhenTwoThousandTargetsCameAndWent() throws Exception {
    int meters = registry.getMeters().size();

    churn();

    assertEquals(BATCHES * PER_BATCH, profiles.get());
    assertEquals(0, manager.size());
    assertEquals(meters, registry.getMeters().size(), "no meter of a removed target left");
    assertEquals(-1, registry.scrape().indexOf("pod-"), "no series of a removed target exported");
    assertEquals(1, threadsNamed(schedulerThread), "one scheduler thread, as at the start");
  }

  @Test
  void shouldReleaseRemovedTargetsWithoutWaitingForTheNextChangeOfTheTargets() throws Exception {
    churn();

    // the churn ends with every target removed and no further change: nothing may keep a removed
    // target's loop, neither the manager (its round has ended) nor the scheduler (its next round,
    // an interval ahead, was cancelled)
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .untilAsserted(() -> {
          System.gc();
          assertEquals(0, stillReachable(), "removed targets still reachable, of " + removed.size());
        });
  }
}
