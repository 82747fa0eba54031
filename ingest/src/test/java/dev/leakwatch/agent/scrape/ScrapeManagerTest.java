package dev.leakwatch.agent.scrape;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.agent.metrics.AgentMetrics;
import dev.leakwatch.agent.model.ProfileKind;
import dev.leakwatch.agent.model.Target;
import dev.leakwatch.agent.model.TargetId;
import dev.leakwatch.agent.testing.Fixtures;
import dev.leakwatch.agent.testing.ManualScheduler;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Reconciling the running scrape loops with a new target list. */
class ScrapeManagerTest {
  private final ManualScheduler scheduler = new ManualScheduler();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ScrapeManager manager =
      new ScrapeManager(
          new ScrapeContext(
              (uri, timeout, max) ->
                  CompletableFuture.failedFuture(
                      new ScrapeFailure(ScrapeFailure.Reason.CONNECT, "down")),
              (t, k, time, body) -> {}, scheduler, new Pacing(0, Duration.ofMinutes(1), () -> 0.5),
              Clock.systemUTC(), new AgentMetrics(registry), new Semaphore(8), 1 << 20,
              Duration.ofMinutes(30)));

  private static Target target(String instance, Duration interval) {
    return new Target(
        new TargetId("svc", instance), URI.create("http://" + instance + "/debug/pprof"),
        List.of(ProfileKind.HEAP), interval, Duration.ofSeconds(1), Map.of(), null);
  }

  private List<String> running() {
    return manager.status().stream()
        .map(s -> s.target().id().instance() + "@" + s.target().interval().toSeconds())
        .collect(Collectors.toList());
  }

  @Test
  void shouldAddChangeAndRemoveTargets() {
    assertEquals(
        new ScrapeManager.Change(2, 0, 0),
        manager.apply(List.of(target("a:1", Duration.ofSeconds(30)), target("b:1", Duration.ofSeconds(30)))));

    ScrapeManager.Change c =
        manager.apply(List.of(target("b:1", Duration.ofSeconds(10)), target("c:1", Duration.ofSeconds(30))));

    assertEquals(new ScrapeManager.Change(1, 1, 1), c);
    assertEquals(List.of("b:1@10", "c:1@30"), running());
  }

  @Test
  void shouldLeaveUnchangedTargetsRunningUntouched() {
    manager.apply(List.of(target("a:1", Duration.ofSeconds(30))));
    int scheduled = scheduler.requested().size();

    assertEquals(new ScrapeManager.Change(0, 0, 0), manager.apply(List.of(target("a:1", Duration.ofSeconds(30)))));
    assertEquals(scheduled, scheduler.requested().size(), "no new round was scheduled");
  }

  @Test
  void shouldUnregisterMetersOfRemovedTarget() {
    manager.apply(List.of(target("a:1", Duration.ofSeconds(30))));
    scheduler.runNext();
    assertEquals(
        1.0,
        registry.find("leakwatch.agent.target.consecutive.failures").tag("instance", "a:1").gauge().value());

    manager.apply(List.of());

    assertNull(registry.find("leakwatch.agent.target.consecutive.failures").tag("instance", "a:1").gauge());
    assertNull(registry.find("leakwatch.agent.scrapes").tag("instance", "a:1").counter());
    assertEquals(0, scheduler.pendingCount());
  }

  @Test
  void shouldWaitAtCloseForTheRoundInFlightToHandOverItsProfile() throws Exception {
    byte[] heap = Fixtures.profile(ProfileKind.HEAP);
    CompletableFuture<byte[]> answer = new CompletableFuture<>();
    List<ProfileKind> sunk = new CopyOnWriteArrayList<>();
    ScrapeManager m = slowManager(answer, sunk);
    m.apply(List.of(target("a:1", Duration.ofSeconds(30))));
    scheduler.runNext(); // the round starts; its fetch is in flight

    CompletableFuture<Integer> closing = CompletableFuture.supplyAsync(() -> m.close(Duration.ofMinutes(1)));
    await().atMost(Duration.ofSeconds(30)).until(() -> m.size() == 0); // the loops are stopped
    // the round cannot finish before the target answers, so neither can close
    assertFalse(closing.isDone());
    answer.complete(heap);

    assertEquals(0, closing.get(1, TimeUnit.MINUTES), "no round left in flight");
    assertEquals(List.of(ProfileKind.HEAP), sunk, "the profile reached the sink before close returned");
    assertEquals(0, scheduler.pendingCount(), "no further round scheduled");
  }

  @Test
  void shouldReportRoundsStillInFlightWhenTheWaitEnds() {
    CompletableFuture<byte[]> never = new CompletableFuture<>();
    ScrapeManager m = slowManager(never, new CopyOnWriteArrayList<>());
    m.apply(List.of(target("a:1", Duration.ofSeconds(30)), target("b:1", Duration.ofSeconds(30))));
    scheduler.runNext();

    assertEquals(1, m.close(Duration.ZERO));
  }

  @Test
  void shouldNotRegisterMetersAgainWhenRoundOfRemovedTargetEndsLater() {
    CompletableFuture<byte[]> answer = new CompletableFuture<>();
    ScrapeManager m = slowManager(answer, new CopyOnWriteArrayList<>());
    m.apply(List.of(target("a:1", Duration.ofSeconds(30))));
    scheduler.runNext(); // the round starts; the target does not answer yet

    m.apply(List.of());
    // a dead pod: the round in flight ends (times out) after the target was removed
    answer.completeExceptionally(new ScrapeFailure(ScrapeFailure.Reason.TIMEOUT, "timed out"));

    assertEquals(List.of(), registry.find("leakwatch.agent.scrapes").tag("instance", "a:1").meters());
    assertEquals(
        List.of(), registry.find("leakwatch.agent.scrape.failures").tag("instance", "a:1").meters());
    assertNull(registry.find("leakwatch.agent.target.consecutive.failures").tag("instance", "a:1").gauge());
  }

  @Test
  void shouldBindConsecutiveFailuresGaugeToTheNewLoopWhenTargetChanges() {
    manager.apply(List.of(target("a:1", Duration.ofSeconds(30))));
    scheduler.runNext();
    scheduler.runNext();
    assertEquals(2.0, failuresGauge("a:1"));

    manager.apply(List.of(target("a:1", Duration.ofSeconds(10))));
    assertEquals(0.0, failuresGauge("a:1"), "the restarted loop has not failed yet");

    scheduler.runNext();
    assertEquals(1, manager.status().get(0).consecutiveFailures());
    assertEquals(1.0, failuresGauge("a:1"));
  }

  @Test
  void shouldStartChangedTargetsFirstRoundOnlyAfterTheOldRoundEnds() {
    List<CompletableFuture<byte[]>> fetches = new CopyOnWriteArrayList<>();
    ScrapeManager m = recordingManager(fetches, new CopyOnWriteArrayList<>());
    m.apply(List.of(target("a:1", Duration.ofSeconds(30))));
    scheduler.runNext(); // the old loop's round is in flight

    m.apply(List.of(target("a:1", Duration.ofSeconds(10))));
    while (scheduler.runNext()) {
      // run whatever is due: nothing may fetch while the old round is in flight
    }
    assertEquals(1, fetches.size(), "no second round of a:1 while the first is in flight");

    fetches.get(0).complete(Fixtures.profile(ProfileKind.HEAP));
    assertEquals(1, scheduler.pendingCount(), "the new loop's first round is scheduled");
    assertEquals(Duration.ofSeconds(5), scheduler.requested().get(scheduler.requested().size() - 1));
    scheduler.runNext();
    assertEquals(2, fetches.size());
  }

  @Test
  void shouldStartReaddedTargetsFirstRoundOnlyAfterTheRemovedLoopsRoundEnds() {
    List<CompletableFuture<byte[]>> fetches = new CopyOnWriteArrayList<>();
    ScrapeManager m = recordingManager(fetches, new CopyOnWriteArrayList<>());
    m.apply(List.of(target("a:1", Duration.ofSeconds(30))));
    scheduler.runNext(); // the round is in flight

    m.apply(List.of()); // discovery loses the target for a moment
    m.apply(List.of(target("a:1", Duration.ofSeconds(30))));
    while (scheduler.runNext()) {
      // run whatever is due: nothing may fetch while the removed loop's round is in flight
    }
    assertEquals(1, fetches.size(), "no second round of a:1 while the first is in flight");

    fetches.get(0).complete(Fixtures.profile(ProfileKind.HEAP));
    assertEquals(1, scheduler.pendingCount(), "the re-added loop's first round is scheduled");
    scheduler.runNext();
    assertEquals(2, fetches.size());
  }

  @Test
  void shouldWaitAtCloseForTheRoundOfARemovedTarget() throws Exception {
    List<CompletableFuture<byte[]>> fetches = new CopyOnWriteArrayList<>();
    List<ProfileKind> sunk = new CopyOnWriteArrayList<>();
    ScrapeManager m = recordingManager(fetches, sunk);
    m.apply(List.of(target("a:1", Duration.ofSeconds(30))));
    scheduler.runNext(); // the round is in flight
    m.apply(List.of());

    CompletableFuture<Integer> closing = CompletableFuture.supplyAsync(() -> m.close(Duration.ofMinutes(1)));
    // the removed target's round still brings a profile, so close waits for it
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> !closing.isDone());
    fetches.get(0).complete(Fixtures.profile(ProfileKind.HEAP));

    assertEquals(0, closing.get(1, TimeUnit.MINUTES), "no round left in flight");
    assertEquals(List.of(ProfileKind.HEAP), sunk, "the profile reached the sink before close returned");
  }

  /** A registry that counts the meters it hands out when asked for all of them. */
  private static final class CountingRegistry extends SimpleMeterRegistry {
    final AtomicLong listed = new AtomicLong();

    @Override
    public List<Meter> getMeters() {
      List<Meter> all = super.getMeters();
      listed.addAndGet(all.size());
      return all;
    }
  }

  @Test
  void shouldRemoveTargetsWithoutSearchingEveryOtherTargetsMeters() {
    CountingRegistry counting = new CountingRegistry();
    byte[] heap = Fixtures.profile(ProfileKind.HEAP);
    ScrapeManager m =
        new ScrapeManager(
            new ScrapeContext(
                (uri, timeout, max) -> CompletableFuture.completedFuture(heap),
                (t, k, time, body) -> {}, scheduler, new Pacing(0, Duration.ofMinutes(1), () -> 0.5),
                Clock.systemUTC(), new AgentMetrics(counting), new Semaphore(8), 1 << 20,
                Duration.ofMinutes(30)));
    List<Target> fleet =
        IntStream.range(0, 2000).mapToObj(i -> target("h" + i + ":1", Duration.ofSeconds(30))).toList();
    m.apply(fleet);
    for (int i = 0; i < fleet.size(); i++) {
      scheduler.runNext(); // every target scrapes once, so each has its counters as well as its gauge
    }
    int before = counting.getMeters().size();
    counting.listed.set(0);

    m.apply(fleet.subList(0, 1000)); // a reload that drops half the fleet

    int removed = before - counting.getMeters().size();
    assertEquals(3000, removed, "the gauge and both counters of each removed target are gone");
    // searching every meter for each removed target is quadratic: 1000 x 6000 meters listed here,
    // minutes with a fleet of 20,000 targets
    assertTrue(counting.listed.get() <= 3000 + 6000,
        "meters listed while removing 1000 targets: " + counting.listed.get());
  }

  private ScrapeManager recordingManager(List<CompletableFuture<byte[]>> fetches, List<ProfileKind> sunk) {
    return new ScrapeManager(
        new ScrapeContext(
            (uri, timeout, max) -> {
              CompletableFuture<byte[]> f = new CompletableFuture<>();
              fetches.add(f);
              return f;
            },
            (t, k, time, body) -> sunk.add(k), scheduler, new Pacing(0, Duration.ofMinutes(1), () -> 0.5),
            Clock.systemUTC(), new AgentMetrics(registry), new Semaphore(8), 1 << 20,
            Duration.ofMinutes(30)));
  }

  private double failuresGauge(String instance) {
    return registry.find("leakwatch.agent.target.consecutive.failures").tag("instance", instance).gauge().value();
  }

  private ScrapeManager slowManager(CompletableFuture<byte[]> answer, List<ProfileKind> sunk) {
    return new ScrapeManager(
        new ScrapeContext(
            (uri, timeout, max) -> answer, (t, k, time, body) -> sunk.add(k), scheduler,
            new Pacing(0, Duration.ofMinutes(1), () -> 0.5), Clock.systemUTC(), new AgentMetrics(registry),
            new Semaphore(8), 1 << 20, Duration.ofMinutes(30)));
  }
}
