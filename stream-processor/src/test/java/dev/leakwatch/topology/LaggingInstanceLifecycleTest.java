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
import dev.leakwatch.schemas.avro.ProfileEnvelope;
import dev.leakwatch.schemas.avro.SuspectStatus;
import dev.leakwatch.topology.eval.CorpusScenario;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One instance of a service whose captures reach the lifecycle behind its sibling's: its input
 * partition read after the sibling's backlog (a processor's catch-up after an outage), or its agent's
 * clock behind the sibling's. Each instance is judged by its own silence, so neither makes it gone or
 * its growth stale, and a suspect growing on it alone is raised as when it is alone.
 *
 * <p>Scaled to the recording as {@link ProcessorOutageBacklogTest} is: the leaking instance is scenario
 * G's replica-1 (35 captures a second apart), its sibling a goroutine capture of scenario M (no leak)
 * sent once a second as instance {@code sibling} of the same service; {@code instanceGoneAfter} 3 s,
 * {@code resolveAfter} 6 s. Live traffic advances the driver's wall clock (the processor's) with
 * capture time; a backlog does not.
 */
class LaggingInstanceLifecycleTest {

  private static final long SECOND = 1000;
  private static final Duration GONE_AFTER = Duration.ofSeconds(3);

  @TempDir Path temp;

  private final CorpusScenario leaking = Fixtures.scenario("G");
  private final List<CorpusScenario.Capture> b = Fixtures.captures(leaking, c -> c.instance().equals("replica-1"));
  private final CorpusScenario.Capture quiet =
      Fixtures.captures(Fixtures.scenario("M"), c -> c.type().equals("goroutine")).get(0);
  private final long lastB = b.get(b.size() - 1).captureMs();

  @Test
  void shouldKeepASuspectOpenWhenItsInstancesPartitionIsReadAfterASiblingsBacklog() {
    List<LeakSuspect> alone = alone(temp, leaking, b);
    long openedAt = alone.get(0).getDetectedAt().toEpochMilli();
    int outage = firstAfter(b, openedAt);
    assertTrue(lastB - b.get(outage).captureMs() >= 2 * GONE_AFTER.toMillis(),
        "the sibling's backlog runs past instanceGoneAfter ahead of the leaking instance");
    List<LeakSuspect> events;
    try (TopologyHarness h = TopologyHarness.create(config(), temp)) {
      live(h, b.subList(0, outage), 0);
      // the outage's backlog: the sibling's partition read first, then the leaking instance's
      for (long t = b.get(outage).captureMs(); t <= lastB; t += SECOND) {
        sibling(h, t);
      }
      b.subList(outage, b.size()).forEach(c -> h.pipe(leaking.service(), c));
      events = leakEvents(h.suspects());
    }

    assertEquals(List.of(SuspectStatus.OPEN), events.stream().map(LeakSuspect::getStatus).distinct().toList(),
        "opened once, neither resolved nor opened again while its partition caught up: " + statuses(events));
    assertNoDuplicateOpen(events);
    assertEquals(alone, events, "the events it raises alone: its sibling's backlog read first changes none");
  }

  @Test
  void shouldKeepASuspectOpenOnAnInstanceWhoseAgentClockRunsBehindItsSiblings() {
    List<LeakSuspect> alone = alone(temp, leaking, b);
    long behindMs = 20 * GONE_AFTER.toMillis();
    List<LeakSuspect> events;
    try (TopologyHarness h = TopologyHarness.create(config(), temp)) {
      live(h, b, behindMs);
      events = leakEvents(h.suspects());
    }

    assertEquals(List.of(SuspectStatus.OPEN), events.stream().map(LeakSuspect::getStatus).distinct().toList(),
        "opened once, never taken for gone while it sends: " + statuses(events));
    assertEquals(alone, events, "the events it raises alone: a sibling's clock " + behindMs + " ms ahead changes none");
  }

  @Test
  void shouldResolveWhenTheLeakingInstanceStopsWhileItsSiblingGoesOn() {
    List<LeakSuspect> events = stopWhileTheSiblingGoesOn(false);

    assertEquals(1, events.stream().filter(e -> e.getStatus() == SuspectStatus.RESOLVED).count(),
        "resolved once its instance is silent: " + statuses(events));
    assertResolvedGoneAfterItsLastCapture(events);
  }

  @Test
  void shouldResolveWhenTheLeakingInstanceSendsOnlyItsLastCaptureAgainWhileItsSiblingGoesOn() {
    // its agent re-sends its last profile (the same capture) every second: duplicates, ignored, which
    // say nothing of its time
    assertResolvedGoneAfterItsLastCapture(stopWhileTheSiblingGoesOn(true));
  }

  @Test
  void shouldResolveInstanceGoneAfterItsLastCaptureWhenTheTaskIsFedLessOftenThanATick() {
    // the recording stretched to a capture every 4 s, the sibling 2 s after each: a record every 2 s
    // against ticks of 1 s; instanceGoneAfter 12 s (three of the instance's intervals), resolveAfter 24 s
    long interval = 4 * SECOND;
    Duration goneAfter = Duration.ofSeconds(12);
    TopologyConfig config = config().withDetection(config().detection().toBuilder()
        .instanceGoneAfter(goneAfter).resolveAfter(Duration.ofSeconds(24)).build());
    long first = b.get(0).captureMs();
    List<CorpusScenario.Capture> stretched = b.stream().map(c -> new CorpusScenario.Capture(c.instance(),
        c.type(), first + (c.captureMs() - first) * (interval / SECOND), c.file())).toList();
    long last = stretched.get(stretched.size() - 1).captureMs();
    List<LeakSuspect> events;
    try (TopologyHarness h = TopologyHarness.create(config, temp)) {
      for (CorpusScenario.Capture c : stretched) {
        h.pipe(leaking.service(), c);
        h.driver.advanceWallClockTime(Duration.ofMillis(interval / 2));
        sibling(h, c.captureMs() + interval / 2);
        h.driver.advanceWallClockTime(Duration.ofMillis(interval / 2));
      }
      for (long t = last + interval + interval / 2; t <= last + 4 * goneAfter.toMillis(); t += interval) {
        sibling(h, t); // the leaking instance stopped
        h.driver.advanceWallClockTime(Duration.ofMillis(interval));
      }
      events = leakEvents(h.suspects());
    }

    assertEquals(SuspectStatus.OPEN, events.get(0).getStatus(), statuses(events).toString());
    assertEquals(SuspectStatus.RESOLVED, events.get(events.size() - 1).getStatus(), statuses(events).toString());
    long resolvedAt = events.get(events.size() - 1).getDetectedAt().toEpochMilli();
    assertTrue(resolvedAt >= last + goneAfter.toMillis() && resolvedAt <= last + goneAfter.toMillis() + interval,
        "resolved within a record of instanceGoneAfter after its last capture (" + last + "): " + statuses(events));
  }

  /**
   * The leaking instance's captures live, then the sibling alone once a second for four times {@code
   * instanceGoneAfter}, the leaking instance's last capture sent again beside it when {@code resending}.
   */
  private List<LeakSuspect> stopWhileTheSiblingGoesOn(boolean resending) {
    try (TopologyHarness h = TopologyHarness.create(config(), temp)) {
      live(h, b, 0);
      for (long t = lastB + SECOND; t <= lastB + 4 * GONE_AFTER.toMillis(); t += SECOND) {
        h.driver.advanceWallClockTime(Duration.ofMillis(SECOND));
        sibling(h, t);
        if (resending) {
          h.pipe(leaking.service(), b.get(b.size() - 1));
        }
      }
      return leakEvents(h.suspects());
    }
  }

  /** The events end in a RESOLVED dated {@code instanceGoneAfter} after the leaking instance's last capture. */
  private void assertResolvedGoneAfterItsLastCapture(List<LeakSuspect> events) {
    assertFalse(events.isEmpty(), "the leak is found");
    assertEquals(SuspectStatus.RESOLVED, events.get(events.size() - 1).getStatus(), statuses(events).toString());
    long resolvedAt = events.get(events.size() - 1).getDetectedAt().toEpochMilli();
    assertTrue(resolvedAt >= lastB + GONE_AFTER.toMillis() && resolvedAt <= lastB + GONE_AFTER.toMillis()
        + 2 * SECOND, "resolved instanceGoneAfter after its last capture: " + statuses(events));
  }

  /**
   * Pipes the leaking instance's captures live, the sibling once a second beside them stamped {@code
   * aheadMs} later (its agent's clock ahead), the processor's clock following the captures.
   */
  private void live(TopologyHarness h, List<CorpusScenario.Capture> captures, long aheadMs) {
    long clock = captures.get(0).captureMs();
    long previous = clock;
    for (CorpusScenario.Capture c : captures) {
      for (; clock <= c.captureMs(); clock += SECOND) {
        sibling(h, clock + aheadMs);
      }
      h.driver.advanceWallClockTime(Duration.ofMillis(c.captureMs() - previous));
      previous = c.captureMs();
      h.pipe(leaking.service(), c);
    }
  }

  /** One capture of the sibling, instance {@code sibling} of the leaking service, stamped {@code captureMs}. */
  private void sibling(TopologyHarness h, long captureMs) {
    ProfileEnvelope e = Fixtures.envelope(leaking.service(), quiet, captureMs);
    e.setInstance("sibling");
    h.pipe(e);
  }

  private List<LeakSuspect> leakEvents(List<LeakSuspect> all) {
    return LaggingServiceLifecycleTest.leakEvents(all, leaking);
  }
}
