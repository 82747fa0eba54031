package dev.leakwatch.topology;

import static dev.leakwatch.topology.LaggingServiceLifecycleTest.statuses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.detect.DetectionConfig;
import dev.leakwatch.schemas.avro.LeakSuspect;
import dev.leakwatch.schemas.avro.ProfileEnvelope;
import dev.leakwatch.schemas.avro.SuspectStatus;
import dev.leakwatch.topology.eval.CorpusScenario;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lifecycle task fed less often than {@code lifecycleTick} (RELIABILITY.md finding 100), as real
 * agents feed it: each instance's round of profile kinds stamped at each kind's own scrape, and, for
 * the outage, several instances at their own phases. Scaled as {@link LaggingInstanceLifecycleTest}:
 * ticks of 1 s, an instance's round every 4 s, {@code instanceGoneAfter} 12 s (three intervals, as 15 min
 * against 5 min), {@code resolveAfter} 24 s. The leaking instance is scenario G's replica-1 (its heap and
 * goroutine captures of one round), its siblings send scenario M's quiet captures; the driver's clock
 * (the processor's) follows the captures, and stands still for nothing but an outage.
 */
class SparseFeedLifecycleTest {

  private static final long INTERVAL = 4_000;
  private static final Duration GONE_AFTER = Duration.ofSeconds(12);
  /** How long after a round's first kind the agent stamps the next (its first kind's fetch). */
  private static final long KIND_GAP = 100;

  @TempDir Path temp;

  private final CorpusScenario leaking = Fixtures.scenario("G");
  private final CorpusScenario quiet = Fixtures.scenario("M");
  private final CorpusScenario.Capture quietGoroutine =
      Fixtures.captures(quiet, c -> c.type().equals("goroutine")).get(0);
  private final CorpusScenario.Capture quietHeap = Fixtures.captures(quiet, c -> c.type().equals("heap")).get(0);
  /** replica-1's rounds in order, each its goroutine and heap captures. */
  private final List<List<CorpusScenario.Capture>> rounds = rounds();
  private final long first = rounds.get(0).get(0).captureMs();
  private long wallMs;

  @Test
  void shouldResolveInstanceGoneAfterItsLastCaptureWhenEachRoundStampsItsProfileKindsApart() {
    // a round of each instance every 4 s, 2 s apart, the heap stamped 100 ms after the goroutine
    List<LeakSuspect> events;
    long lastCapture = first;
    try (TopologyHarness h = harness()) {
      long t = first;
      for (List<CorpusScenario.Capture> round : rounds) {
        lastCapture = roundOf(h, round, t, KIND_GAP);
        siblingRound(h, "sibling", t + INTERVAL / 2, KIND_GAP);
        t += INTERVAL;
      }
      for (; t <= lastCapture + 4 * GONE_AFTER.toMillis(); t += INTERVAL) {
        siblingRound(h, "sibling", t + INTERVAL / 2, KIND_GAP); // the leaking instance stopped
      }
      events = leakEvents(h.suspects());
    }

    assertEquals(SuspectStatus.OPEN, events.get(0).getStatus(), statuses(events).toString());
    assertEquals(SuspectStatus.RESOLVED, events.get(events.size() - 1).getStatus(), statuses(events).toString());
    long resolvedAt = events.get(events.size() - 1).getDetectedAt().toEpochMilli();
    assertTrue(resolvedAt >= lastCapture + GONE_AFTER.toMillis()
        && resolvedAt <= lastCapture + GONE_AFTER.toMillis() + INTERVAL,
        "resolved within a round of instanceGoneAfter after its last capture (" + lastCapture + "): "
            + statuses(events));
  }

  @Test
  void shouldKeepASuspectOpenWhenASparselyFedTaskGetsNothingForAWhile() {
    // siblings a quarter second after the leaking instance's round and a quarter second before its next
    int outageAfter = 20;
    int dropped = 4; // rounds the brokers were away for, their profiles dropped: 16 s, less than resolveAfter
    List<LeakSuspect> events;
    long outageStart = first + outageAfter * INTERVAL;
    try (TopologyHarness h = harness()) {
      long t = first;
      for (int i = 0; i < rounds.size(); i++, t += INTERVAL) {
        if (i == outageAfter) {
          t += (dropped - 1) * INTERVAL;
          siblingRound(h, "early", t + 250, 0); // the outage ends between the leaking instance's
          siblingRound(h, "late", t + INTERVAL - 250, 0); // round and its siblings'
          t += INTERVAL;
        }
        roundOf(h, rounds.get(i), t, 0);
        siblingRound(h, "early", t + 250, 0);
        siblingRound(h, "late", t + INTERVAL - 250, 0);
      }
      events = leakEvents(h.suspects());
    }

    assertFalse(events.isEmpty(), "the leak is found");
    assertTrue(events.get(0).getStatus() == SuspectStatus.OPEN
        && events.get(0).getDetectedAt().toEpochMilli() < outageStart, "opened before the outage: " + statuses(events));
    assertEquals(List.of(SuspectStatus.OPEN), events.stream().map(LeakSuspect::getStatus).distinct().toList(),
        "neither resolved nor opened again: its instance never stopped sending: " + statuses(events));
  }

  /** A harness whose processor's clock starts at the first capture. */
  private TopologyHarness harness() {
    TopologyConfig base = LaggingServiceLifecycleTest.config();
    DetectionConfig detection = base.detection().toBuilder().instanceGoneAfter(GONE_AFTER)
        .resolveAfter(Duration.ofSeconds(24)).build();
    try {
      wallMs = first;
      return new TopologyHarness(base.withDetection(detection), Files.createTempDirectory(temp, "state"),
          Instant.ofEpochMilli(first));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The leaking instance's round at {@code t}, its kinds {@code gapMs} apart; returns its last capture time. */
  private long roundOf(TopologyHarness h, List<CorpusScenario.Capture> round, long t, long gapMs) {
    long at = t;
    for (CorpusScenario.Capture c : round) {
      clock(h, at);
      h.pipeAt(leaking.service(), c, at);
      at += gapMs;
    }
    return at - gapMs;
  }

  /** A round of the quiet instance {@code instance} of the leaking service at {@code t}: goroutine, then heap {@code gapMs} later. */
  private void siblingRound(TopologyHarness h, String instance, long t, long gapMs) {
    for (CorpusScenario.Capture c : List.of(quietGoroutine, quietHeap)) {
      clock(h, t);
      ProfileEnvelope e = Fixtures.envelope(leaking.service(), c, t);
      e.setInstance(instance);
      h.pipe(e);
      t += gapMs;
    }
  }

  /** Moves the processor's clock on to {@code ms}. */
  private void clock(TopologyHarness h, long ms) {
    h.driver.advanceWallClockTime(Duration.ofMillis(ms - wallMs));
    wallMs = ms;
  }

  private List<List<CorpusScenario.Capture>> rounds() {
    Map<Long, List<CorpusScenario.Capture>> bySeq = new TreeMap<>();
    Fixtures.captures(leaking, c -> c.instance().equals("replica-1") && !c.type().equals("allocs"))
        .forEach(c -> bySeq.computeIfAbsent(c.captureMs(), k -> new ArrayList<>()).add(c));
    return List.copyOf(bySeq.values());
  }

  private List<LeakSuspect> leakEvents(List<LeakSuspect> all) {
    return LaggingServiceLifecycleTest.leakEvents(all, leaking);
  }
}
