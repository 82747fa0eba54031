package dev.leakwatch.topology;

import static dev.leakwatch.topology.LaggingServiceLifecycleTest.alone;
import static dev.leakwatch.topology.LaggingServiceLifecycleTest.config;
import static dev.leakwatch.topology.LaggingServiceLifecycleTest.firstAfter;
import static dev.leakwatch.topology.LaggingServiceLifecycleTest.statuses;
import static dev.leakwatch.topology.LeakwatchTopologyTest.assertNoDuplicateOpen;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.schemas.avro.LeakSuspect;
import dev.leakwatch.schemas.avro.SuspectStatus;
import dev.leakwatch.topology.eval.CorpusScenario;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole processor down while the agents go on publishing, then back, reading the backlog: the
 * records of the outage arrive within moments of the processor's clock, in partition order, so one
 * service's whole outage can come before another's (the test driver has one partition, which both
 * services share, as services of one task do). Live traffic advances the driver's wall clock (the
 * processor's) with capture time; a backlog does not.
 *
 * <p>Scaled to the recording as {@link LaggingServiceLifecycleTest} is: B is scenario G's replica-1
 * (35 captures a second apart, its leak opened about 26 s in), A scenario M (no leak);
 * {@code instanceGoneAfter} 3 s, {@code resolveAfter} 6 s, so an "outage" of 6 s or more is past both.
 */
class ProcessorOutageBacklogTest {

  private static final long SECOND = 1000;
  private static final Duration GONE_AFTER = Duration.ofSeconds(3);

  @TempDir Path temp;

  private final CorpusScenario leaking = Fixtures.scenario("G");
  private final CorpusScenario live = Fixtures.scenario("M");
  private final List<CorpusScenario.Capture> b = Fixtures.captures(leaking, c -> c.instance().equals("replica-1"));
  private final CorpusScenario.Capture a = Fixtures.captures(live, c -> c.type().equals("goroutine")).get(0);
  private final long lastB = b.get(b.size() - 1).captureMs();

  @Test
  void shouldKeepAnOpenSuspectOpenWhenAnotherServicesBacklogIsReadFirst() {
    List<LeakSuspect> alone = alone(temp, leaking, b);
    long openedAt = alone.get(0).getDetectedAt().toEpochMilli();
    assertTrue(lastB - openedAt >= 2 * GONE_AFTER.toMillis(), "the outage after B's OPEN is past instanceGoneAfter");
    List<LeakSuspect> events;
    try (TopologyHarness h = TopologyHarness.create(config(), temp)) {
      int outage = firstAfter(b, openedAt);
      live(h, b.subList(0, outage));
      // the outage's backlog: A's whole outage first, then B's
      catchUpA(h, b.get(outage).captureMs(), lastB);
      b.subList(outage, b.size()).forEach(c -> h.pipe(leaking.service(), c));
      events = leakEvents(h.suspects());
    }

    assertEquals(List.of(SuspectStatus.OPEN), events.stream().map(LeakSuspect::getStatus).distinct().toList(),
        "opened once, neither resolved nor opened again by the catch-up: " + statuses(events));
    assertNoDuplicateOpen(events);
    assertEquals(alone, events, "B's events are those it raises alone: A's backlog read first changes none");
  }

  @Test
  void shouldOpenALeakThatStartedDuringTheOutageOnceAtItsCaptureTime() {
    List<LeakSuspect> alone = alone(temp, leaking, b);
    List<LeakSuspect> events;
    try (TopologyHarness h = TopologyHarness.create(config(), temp)) {
      live(h, b.subList(0, 5));
      catchUpA(h, b.get(5).captureMs(), lastB);
      b.subList(5, b.size()).forEach(c -> h.pipe(leaking.service(), c));
      events = leakEvents(h.suspects());
    }

    assertFalse(events.isEmpty(), "the leak that began during the outage is found in its backlog");
    assertEquals(List.of(SuspectStatus.OPEN), events.stream().map(LeakSuspect::getStatus).toList(),
        "opened once: " + statuses(events));
    assertEquals(alone.get(0).getDetectedAt(), events.get(0).getDetectedAt(),
        "detectedAt is the capture time of the profile that opened it, not when the backlog was read");
  }

  @Test
  void shouldResolveAServiceThatStoppedDuringTheOutageOnceLiveTrafficShowsItsSilence() {
    long openedAt = alone(temp, leaking, b).get(0).getDetectedAt().toEpochMilli();
    List<LeakSuspect> events = new ArrayList<>();
    long resolvedAfterLive = -1;
    try (TopologyHarness h = TopologyHarness.create(config(), temp)) {
      int outage = firstAfter(b, openedAt);
      live(h, b.subList(0, outage));
      // B's instance stopped at lastB, during the outage; A went on until the processor came back
      long back = lastB + 4 * GONE_AFTER.toMillis();
      catchUpA(h, b.get(outage).captureMs(), back);
      b.subList(outage, b.size()).forEach(c -> h.pipe(leaking.service(), c));
      events.addAll(leakEvents(h.suspects()));
      assertTrue(events.stream().noneMatch(e -> e.getStatus() == SuspectStatus.RESOLVED),
          "nothing resolved while the backlog was read: " + statuses(events));
      // live again: A once a second, the processor's clock going on with it
      for (long t = back + SECOND; t <= back + 4 * GONE_AFTER.toMillis(); t += SECOND) {
        h.driver.advanceWallClockTime(Duration.ofMillis(SECOND));
        h.pipeAt(live.service(), a, t);
        List<LeakSuspect> now = leakEvents(h.suspects());
        if (resolvedAfterLive < 0 && now.stream().anyMatch(e -> e.getStatus() == SuspectStatus.RESOLVED)) {
          resolvedAfterLive = t - back;
        }
        events.addAll(now);
      }
    }

    assertEquals(1, events.stream().filter(e -> e.getStatus() == SuspectStatus.RESOLVED).count(),
        "resolved once: " + statuses(events));
    assertEquals(SuspectStatus.RESOLVED, events.get(events.size() - 1).getStatus());
    assertTrue(resolvedAfterLive >= GONE_AFTER.toMillis() && resolvedAfterLive <= GONE_AFTER.toMillis() + 2 * SECOND,
        "gone once instanceGoneAfter of live time has passed: " + resolvedAfterLive + " ms");
    long resolvedAt = events.get(events.size() - 1).getDetectedAt().toEpochMilli();
    assertTrue(resolvedAt >= lastB + GONE_AFTER.toMillis() && resolvedAt < lastB + 4 * GONE_AFTER.toMillis(),
        "RESOLVED dated on B's own time, past its last capture: " + statuses(events));
  }



  /** Pipes B's captures live: A once a second beside them, the processor's clock following. */
  private void live(TopologyHarness h, List<CorpusScenario.Capture> captures) {
    long clock = captures.get(0).captureMs();
    long previous = clock;
    for (CorpusScenario.Capture c : captures) {
      for (; clock <= c.captureMs(); clock += SECOND) {
        h.pipeAt(live.service(), a, clock);
      }
      h.driver.advanceWallClockTime(Duration.ofMillis(c.captureMs() - previous));
      previous = c.captureMs();
      h.pipe(leaking.service(), c);
    }
  }

  /** A's captures of {@code fromMs} to {@code toMs}, once a second, read as a backlog (the clock does not move). */
  private void catchUpA(TopologyHarness h, long fromMs, long toMs) {
    for (long t = fromMs; t <= toMs; t += SECOND) {
      h.pipeAt(live.service(), a, t);
    }
  }

  private List<LeakSuspect> leakEvents(List<LeakSuspect> all) {
    return LaggingServiceLifecycleTest.leakEvents(all, leaking);
  }
}
