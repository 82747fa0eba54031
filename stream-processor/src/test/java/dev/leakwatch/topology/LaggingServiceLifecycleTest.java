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
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two services in one task (the test driver has one partition, so they share its stream time): A
 * reports live, B's captures run {@link #LAG} behind A's (its agents' clocks behind, or a backlog
 * being flushed) while B keeps reporting every second. B is judged by its own silence: its leak
 * suspect neither resolves nor opens again while it reports, and its instance is gone
 * {@code instanceGoneAfter} of stream time after its last report arrived.
 *
 * <p>Scaled to the recording (B is scenario G's replica-1, 35 captures a second apart, its leak
 * opened about 26 s in): {@code instanceGoneAfter} 3 s, {@code resolveAfter} 6 s, B 20 s behind, so
 * the lag is past both and B reports with its leak open for more than twice {@code instanceGoneAfter}.
 */
class LaggingServiceLifecycleTest {

  private static final long SECOND = 1000;
  private static final long LAG = 20 * SECOND;
  private static final Duration GONE_AFTER = Duration.ofSeconds(3);
  private static final Duration TICK = Duration.ofSeconds(1);

  @TempDir Path temp;

  private final CorpusScenario leaking = Fixtures.scenario("G");
  private final CorpusScenario live = Fixtures.scenario("M");
  private final List<CorpusScenario.Capture> b = Fixtures.captures(leaking, c -> c.instance().equals("replica-1"));
  private final CorpusScenario.Capture a = Fixtures.captures(live, c -> c.type().equals("goroutine")).get(0);
  private final long lastB = b.get(b.size() - 1).captureMs();

  @Test
  void shouldKeepALaggingServicesSuspectOpenWhileItKeepsReporting() {
    List<LeakSuspect> alone;
    try (TopologyHarness h = TopologyHarness.create(config(), temp)) {
      h.pipeAll(leaking.service(), b);
      alone = leakEvents(h.suspects());
    }
    List<LeakSuspect> behind;
    try (TopologyHarness h = TopologyHarness.create(config(), temp)) {
      pipeBehindLiveService(h);
      behind = leakEvents(h.suspects());
    }

    assertFalse(alone.isEmpty(), "B's leak is detected when B is alone");
    long openFor = lastB - alone.get(0).getDetectedAt().toEpochMilli();
    assertTrue(openFor > 2 * GONE_AFTER.toMillis(), "B reports with its leak open for long enough: " + openFor);
    assertEquals(List.of(SuspectStatus.OPEN), behind.stream().map(LeakSuspect::getStatus).distinct().toList(),
        "opened once, never resolved while it reports: " + statuses(behind));
    assertNoDuplicateOpen(behind);
    assertEquals(alone, behind, "the service's events are those it raises alone: the other's lead changes none");
  }

  @Test
  void shouldJudgeALaggingServiceGoneAfterItsOwnSilence() {
    List<LeakSuspect> events;
    long resolvedAfterArrival = -1;
    ServiceSuspects state;
    try (TopologyHarness h = TopologyHarness.create(config(), temp)) {
      long lastArrival = pipeBehindLiveService(h);
      events = new ArrayList<>(leakEvents(h.suspects()));
      // B stops; A goes on live, one capture a second, moving the task's stream time and the clock on
      for (long t = lastArrival + SECOND; t <= lastArrival + 4 * GONE_AFTER.toMillis(); t += SECOND) {
        h.driver.advanceWallClockTime(Duration.ofMillis(SECOND));
        h.pipeAt(live.service(), a, t);
        List<LeakSuspect> now = leakEvents(h.suspects());
        if (resolvedAfterArrival < 0 && now.stream().anyMatch(e -> e.getStatus() == SuspectStatus.RESOLVED)) {
          resolvedAfterArrival = t - lastArrival;
        }
        events.addAll(now);
      }
      KeyValueStore<String, byte[]> store = h.driver.getKeyValueStore(TopologyNames.SUSPECT_LIFECYCLE_STORE);
      byte[] stored = store.get(leaking.service());
      state = stored == null ? null : ServiceSuspects.fromBytes(stored);
    }

    assertEquals(1, events.stream().filter(e -> e.getStatus() == SuspectStatus.RESOLVED).count(),
        "resolved once, when B went silent: " + statuses(events));
    assertEquals(SuspectStatus.RESOLVED, events.get(events.size() - 1).getStatus());
    assertTrue(resolvedAfterArrival >= GONE_AFTER.toMillis(),
        "not gone before instanceGoneAfter of silence: resolved " + resolvedAfterArrival + " ms after");
    assertTrue(resolvedAfterArrival <= GONE_AFTER.toMillis() + TICK.toMillis() + SECOND,
        "gone once instanceGoneAfter of silence has passed (at the next tick): " + resolvedAfterArrival + " ms");
    LeakSuspect resolved = events.get(events.size() - 1);
    assertTrue(resolved.getDetectedAt().toEpochMilli() - lastB >= GONE_AFTER.toMillis(),
        "RESOLVED is dated on B's own time, instanceGoneAfter past its last capture: " + resolved.getDetectedAt());
    assertTrue(state == null || state.instances().isEmpty(), "B's gone instance forgotten: " + state);
  }

  /**
   * Pipes B's captures with A's live captures {@link #LAG} ahead of them, A once a second (the
   * processor's clock running with it: this is live traffic, not a backlog); returns
   * the stream time when B's last capture arrived.
   */
  private long pipeBehindLiveService(TopologyHarness h) {
    long nextA = b.get(0).captureMs() + LAG;
    for (CorpusScenario.Capture c : b) {
      for (; nextA <= c.captureMs() + LAG; nextA += SECOND) {
        h.driver.advanceWallClockTime(Duration.ofMillis(SECOND));
        h.pipeAt(live.service(), a, nextA);
      }
      h.pipe(leaking.service(), c);
    }
    return nextA - SECOND;
  }

  /** Scaled detection for G's recording: {@code instanceGoneAfter} 3 s, {@code resolveAfter} 6 s, ticks of 1 s. */
  static TopologyConfig config() {
    TopologyConfig d = TopologyConfig.defaults();
    DetectionConfig detection = d.detection().toBuilder().instanceGoneAfter(GONE_AFTER)
        .resolveAfter(Duration.ofSeconds(6)).build();
    return d.withDetection(detection).withLifecycleTick(TICK);
  }

  /** Events as {@code STATUS@detectedAt}, for messages. */
  static List<String> statuses(List<LeakSuspect> events) {
    return events.stream().map(e -> e.getStatus() + "@" + e.getDetectedAt()).toList();
  }

  /** B's leak suspect's events (blaming its leak site), in order. */
  private List<LeakSuspect> leakEvents(List<LeakSuspect> all) {
    return leakEvents(all, leaking);
  }

  /** The leak events of {@code captures} of {@code scenario}, piped alone, live (each at its capture time). */
  static List<LeakSuspect> alone(Path temp, CorpusScenario scenario, List<CorpusScenario.Capture> captures) {
    try (TopologyHarness h = TopologyHarness.create(config(), temp)) {
      h.pipeAll(scenario.service(), captures);
      List<LeakSuspect> events = leakEvents(h.suspects(), scenario);
      assertFalse(events.isEmpty(), "the leak is detected when its captures are piped alone");
      return events;
    }
  }

  /** The index of the first of {@code captures} after {@code ms}. */
  static int firstAfter(List<CorpusScenario.Capture> captures, long ms) {
    for (int i = 0; i < captures.size(); i++) {
      if (captures.get(i).captureMs() > ms) {
        return i;
      }
    }
    throw new IllegalStateException("no capture after " + ms);
  }

  /** The events of {@code scenario}'s leak suspect (blaming its leak site), in order. */
  static List<LeakSuspect> leakEvents(List<LeakSuspect> all, CorpusScenario scenario) {
    return all.stream().filter(e -> e.getService().equals(scenario.service()))
        .filter(e -> blames(e, scenario.leakSiteFunctions())).toList();
  }
}
