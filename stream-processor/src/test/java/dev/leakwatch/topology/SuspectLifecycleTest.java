package dev.leakwatch.topology;

import static dev.leakwatch.topology.LeakwatchTopologyTest.assertNoDuplicateOpen;
import static dev.leakwatch.topology.LeakwatchTopologyTest.blames;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.detect.DetectionConfig;
import dev.leakwatch.detect.lifecycle.ServiceSuspects;
import dev.leakwatch.schemas.avro.LeakSuspect;
import dev.leakwatch.schemas.avro.SuspectStatus;
import dev.leakwatch.topology.eval.CorpusScenario;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service-level lifecycle as the topology runs it, on recorded profiles: UPDATED is
 * rate-limited, RESOLVED comes after growth stops for the configured time or when the instance
 * is gone, and nothing flaps. All times are capture times.
 */
class SuspectLifecycleTest {

  private static final Duration STEP = Duration.ofSeconds(1);

  @TempDir Path temp;

  @Test
  void shouldEmitUpdatedNoMoreOftenThanTheUpdateInterval() {
    Duration interval = Duration.ofSeconds(4);
    CorpusScenario g = Fixtures.scenario("G");
    List<LeakSuspect> events;
    try (TopologyHarness h = TopologyHarness.create(config(b -> b.updateInterval(interval)), temp)) {
      h.pipeAll(g.service(), Fixtures.captures(g, c -> c.instance().equals("replica-1")));
      events = leakEvents(h.suspects(), g);
    }

    assertEquals(SuspectStatus.OPEN, events.get(0).getStatus(), "first event opens: " + events);
    List<LeakSuspect> updates = events.stream().filter(e -> e.getStatus() == SuspectStatus.UPDATED).toList();
    assertFalse(updates.isEmpty(), "the leak keeps growing after OPEN, so it is UPDATED: " + events);
    for (int i = 1; i < events.size(); i++) {
      long gap = events.get(i).getDetectedAt().toEpochMilli() - events.get(i - 1).getDetectedAt().toEpochMilli();
      assertTrue(gap >= interval.toMillis(), "events " + (i - 1) + " and " + i + " only " + gap + " ms apart");
    }
    assertNoDuplicateOpen(events);
  }

  @Test
  void shouldResolveOnceAfterGrowthStopsForResolveAfter() {
    Duration resolveAfter = Duration.ofSeconds(20);
    CorpusScenario g = Fixtures.scenario("G");
    List<CorpusScenario.Capture> replica1 = Fixtures.captures(g, c -> c.instance().equals("replica-1"));
    List<LeakSuspect> events;
    try (TopologyHarness h = TopologyHarness.create(config(b -> b.resolveAfter(resolveAfter)), temp)) {
      h.pipeAll(g.service(), replica1);
      // The process stops growing: from now on every capture returns the last recorded profiles.
      CorpusScenario.Capture lastHeap = last(replica1, "heap");
      CorpusScenario.Capture lastGoroutine = last(replica1, "goroutine");
      long t = lastHeap.captureMs();
      for (int i = 1; i <= 120; i++) {
        t += STEP.toMillis();
        h.pipeAt(g.service(), lastHeap, t);
        h.pipeAt(g.service(), lastGoroutine, t);
      }
      events = leakEvents(h.suspects(), g);
    }

    List<LeakSuspect> resolved = events.stream().filter(e -> e.getStatus() == SuspectStatus.RESOLVED).toList();
    assertEquals(1, resolved.size(), "resolved exactly once: " + events);
    LeakSuspect last = events.get(events.size() - 1);
    assertEquals(SuspectStatus.RESOLVED, last.getStatus(), "nothing after RESOLVED: no flapping");
    long lastGrowthEvent = events.get(events.size() - 2).getDetectedAt().toEpochMilli();
    assertTrue(last.getDetectedAt().toEpochMilli() - lastGrowthEvent >= resolveAfter.toMillis(),
        "RESOLVED comes at least resolveAfter after the last growth event");
    assertNoDuplicateOpen(events);
  }

  @Test
  void shouldResolveWhenTheLeakingInstanceIsGoneAsStreamTimeMovesOn() {
    Duration goneAfter = Duration.ofSeconds(15);
    CorpusScenario g = Fixtures.scenario("G");
    CorpusScenario m = Fixtures.scenario("M");
    List<CorpusScenario.Capture> leaking = Fixtures.captures(g, c -> c.instance().equals("replica-1"));
    List<LeakSuspect> events;
    try (TopologyHarness h = TopologyHarness.create(config(b -> b.instanceGoneAfter(goneAfter)), temp)) {
      h.pipeAll(g.service(), leaking);
      // The leaking service stops sending; another service's live captures move stream time (and the
      // processor's clock: a backlog read at once would not make the silent service gone) on.
      long t = leaking.get(leaking.size() - 1).captureMs();
      CorpusScenario.Capture other = Fixtures.captures(m, c -> c.type().equals("goroutine")).get(0);
      for (int i = 1; i <= 40; i++) {
        h.driver.advanceWallClockTime(STEP);
        h.pipeAt(m.service(), other, t + i * STEP.toMillis());
      }
      events = leakEvents(h.suspects(), g);
    }

    LeakSuspect last = events.get(events.size() - 1);
    assertEquals(SuspectStatus.RESOLVED, last.getStatus(), "gone instance resolves its suspect: " + events);
    assertTrue(last.getDetectedAt().toEpochMilli() - leaking.get(leaking.size() - 1).captureMs()
        >= goneAfter.toMillis(), "not before the instance counts as gone");
    assertEquals(1, events.stream().filter(e -> e.getStatus() == SuspectStatus.RESOLVED).count());
  }

  @Test
  void shouldKeepEachServicesLatestCaptureItsOwnWhenAnotherServiceSharesItsTask() {
    CorpusScenario g = Fixtures.scenario("G");
    CorpusScenario m = Fixtures.scenario("M");
    List<CorpusScenario.Capture> own = Fixtures.captures(g, c -> c.instance().equals("replica-1"));
    long ownLast = own.stream().mapToLong(CorpusScenario.Capture::captureMs).max().orElseThrow();
    ServiceSuspects state;
    try (TopologyHarness h = TopologyHarness.create(config(b -> b), temp)) {
      h.pipeAll(g.service(), own);
      // the test driver has one partition: both services share one task, and M's later captures
      // move its stream time, which the lifecycle punctuator stamps into every service's state
      CorpusScenario.Capture other = Fixtures.captures(m, c -> c.type().equals("goroutine")).get(0);
      for (int i = 1; i <= 5; i++) {
        h.driver.advanceWallClockTime(STEP);
        h.pipeAt(m.service(), other, ownLast + i * STEP.toMillis());
      }
      KeyValueStore<String, byte[]> store = h.driver.getKeyValueStore(TopologyNames.SUSPECT_LIFECYCLE_STORE);
      state = ServiceSuspects.fromBytes(store.get(g.service()));
    }

    assertEquals(ownLast, state.latestCaptureMs(), "the service's own last capture, from the corpus");
    assertTrue(state.streamTimeMs() > ownLast, "stream time did move on with the other service");
  }

  private static TopologyConfig config(java.util.function.UnaryOperator<DetectionConfig.Builder> change) {
    TopologyConfig d = TopologyConfig.defaults();
    return d.withDetection(change.apply(d.detection().toBuilder()).build()).withLifecycleTick(STEP);
  }

  /** Events of the scenario's leak suspect (the one blaming its leak site), in order. */
  private static List<LeakSuspect> leakEvents(List<LeakSuspect> all, CorpusScenario s) {
    List<LeakSuspect> leak = all.stream().filter(e -> blames(e, s.leakSiteFunctions())).toList();
    assertFalse(leak.isEmpty(), "the leak was detected: " + all);
    String id = leak.get(0).getSuspectId();
    return leak.stream().filter(e -> e.getSuspectId().equals(id)).toList();
  }

  private static CorpusScenario.Capture last(List<CorpusScenario.Capture> captures, String type) {
    return captures.stream().filter(c -> c.type().equals(type)).reduce((a, b) -> b).orElseThrow();
  }
}
