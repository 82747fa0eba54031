package dev.leakwatch.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.detect.DetectionConfig;
import dev.leakwatch.detect.ProfileKind;
import dev.leakwatch.detect.growth.InstanceReport;
import dev.leakwatch.detect.lifecycle.ServiceSuspects;
import dev.leakwatch.detect.lifecycle.SilenceLimit;
import dev.leakwatch.detect.lifecycle.SuspectTracker;
import dev.leakwatch.detect.series.SeriesUpdate;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The processor's clock as the lifecycle counts silence by it (a tick of 60 s at most per step, or one
 * and a half times its instances' interval, up to a ceiling of 7.5 min: the defaults'). The topology
 * test driver's clock cannot go back, so the host's clock set back is shown here.
 */
class SilenceClockTest {
  private static final long TICK = 60_000;
  private static final long MINUTE = 60_000;
  private static final long CEILING = 450_000;
  private static final long T0 = 1_790_000_000_000L;

  @Test
  void shouldGoOnCountingSilenceWhenTheProcessorsClockIsSetBack() {
    SilenceClock clock = new SilenceClock(TICK, CEILING);
    clock.advance(T0);
    clock.arrived("svc", "pod-1");
    long back = T0 - 3_600_000; // the host's clock set back an hour (a VM resumed, NTP stepping it)
    for (long t = back; t <= back + 15 * TICK; t += 30_000) {
      clock.advance(t);
    }
    assertEquals(15 * TICK, clock.limitFor("svc", null).maxSilenceMs("pod-1"),
        "the 15 minutes that ran after the clock was set back count as silence");
  }

  @Test
  void shouldBoundEveryInstancesSilenceByTheLongestFromTheEarliestArrivalOnIncludingInstancesNotHeardFromYet() {
    SuspectTracker tracker = new SuspectTracker(DetectionConfig.defaults());
    ServiceSuspects state = null;
    for (String pod : List.of("pod-1", "pod-2", "pod-3")) { // the state a restarted task reads
      state = tracker.onReport(state, new InstanceReport("svc", pod, ProfileKind.HEAP, T0, null, 1,
          SeriesUpdate.APPENDED, List.of())).state();
    }
    SilenceClock clock = new SilenceClock(TICK, CEILING);
    clock.advance(T0);
    clock.advance(T0 + 10_000);
    assertEquals(10_000, clock.limitFor("svc", state).longestMs(), "none heard from since the task started");
    clock.arrived("svc", "pod-1");
    clock.arrived("svc", "pod-2");
    clock.advance(T0 + 20_000);
    assertEquals(20_000, clock.limitFor("svc", state).longestMs(), "pod-3 not heard from since the start");
    clock.arrived("svc", "pod-3");
    clock.advance(T0 + 30_000);
    clock.arrived("svc", "pod-1");
    SilenceLimit limit = clock.limitFor("svc", state);
    assertEquals(20_000, limit.longestMs(), "pod-2, heard from at 10 s, is the earliest now");
    for (String pod : List.of("pod-1", "pod-2", "pod-3")) {
      assertTrue(limit.maxSilenceMs(pod) <= limit.longestMs(), pod);
    }
  }

  @Test
  void shouldCountEverySilentMinuteOfATaskFedLessOftenThanATick() {
    SilenceClock clock = new SilenceClock(TICK, CEILING);
    // two instances, each scraped every 4 min, 2 min apart: the task gets a record every 2 min
    long t = feedAlternately(clock, T0, 4 * MINUTE, 6);
    long lastOfPod1 = t - 4 * MINUTE;
    for (int i = 0; i < 5; i++, t += 4 * MINUTE) { // pod-1 stopped; pod-2 goes on
      clock.advance(t);
      clock.arrived("svc", "pod-2");
    }
    long silent = t - 4 * MINUTE - lastOfPod1;
    assertEquals(silent, clock.limitFor("svc", null).maxSilenceMs("pod-1"),
        "every minute since pod-1's last report counts (a tick a record before: 6 of 20 minutes)");
  }

  @Test
  void shouldCountATickOfAnOutageOfASparselyFedTask() {
    SilenceClock clock = new SilenceClock(TICK, CEILING);
    long t = feedAlternately(clock, T0, 4 * MINUTE, 6);
    assertEquals(6 * MINUTE, clock.maxStepMs(), "one and a half of the instances' 4 min");
    long before = clock.limitFor("svc", null).maxSilenceMs("pod-2");
    clock.advance(t + 3 * MINUTE); // 5 min after pod-2's report: a gap the task's feed has, counted whole
    assertEquals(5 * MINUTE, clock.limitFor("svc", null).maxSilenceMs("pod-2") - before);
    clock.advance(t + 63 * MINUTE); // the brokers away an hour, nothing buffered
    assertEquals(5 * MINUTE + TICK, clock.limitFor("svc", null).maxSilenceMs("pod-2") - before,
        "an hour without a record is the task not fed: a tick, as in a busy task");
  }

  @Test
  void shouldCountATickOfAnOutageOfATaskWhoseInstancesReportMoreOftenThanATick() {
    SilenceClock clock = new SilenceClock(TICK, CEILING);
    long t = feedAlternately(clock, T0, 15_000, 40);
    long before = clock.limitFor("svc", null).maxSilenceMs("pod-2");
    clock.advance(t + 60 * MINUTE);
    assertEquals(TICK, clock.limitFor("svc", null).maxSilenceMs("pod-2") - before, "the tick, as before");
  }

  @Test
  void shouldNeverCountAStepLongerThanTheCeiling() {
    SilenceClock clock = new SilenceClock(TICK, CEILING);
    long t = feedAlternately(clock, T0, 30 * MINUTE, 6);
    assertEquals(CEILING, clock.maxStepMs(),
        "half the shorter of instanceGoneAfter and resolveAfter, however rarely the instances report");
    long before = clock.limitFor("svc", null).maxSilenceMs("pod-2");
    long last = t - 15 * MINUTE; // pod-2's report
    clock.advance(last + CEILING);
    clock.advance(last + CEILING + 20 * MINUTE);
    assertEquals(CEILING + TICK, clock.limitFor("svc", null).maxSilenceMs("pod-2") - before,
        "a step as long as the ceiling counted whole, a longer one a tick");
  }

  @Test
  void shouldLearnTheInstancesIntervalWhenEachRoundStampsItsProfileKindsApart() {
    SilenceClock clock = new SilenceClock(TICK, CEILING);
    // an agent stamps each kind at its own fetch: goroutine 300 ms after heap, every 4 min
    for (long t = T0; t < T0 + 40 * MINUTE; t += 4 * MINUTE) {
      for (String pod : List.of("pod-1", "pod-2")) {
        long at = t + (pod.equals("pod-1") ? 0 : 2 * MINUTE);
        clock.advance(at);
        clock.arrived("svc", pod);
        clock.advance(at + 300);
        clock.arrived("svc", pod);
      }
    }
    assertEquals(6 * MINUTE, clock.maxStepMs(), "a round every 4 min, not a report every 300 ms or so");
  }

  @Test
  void shouldKeepTheInstancesIntervalWhenABacklogArrivesAtOnce() {
    SilenceClock clock = new SilenceClock(TICK, CEILING);
    long t = feedAlternately(clock, T0, 4 * MINUTE, 6);
    clock.advance(t + 3 * MINUTE); // the process paused an hour: its 15 captures of each read in a burst
    for (int i = 0; i < 15; i++) {
      clock.arrived("svc", "pod-1");
      clock.arrived("svc", "pod-2");
    }
    assertEquals(6 * MINUTE, clock.maxStepMs(), "a burst is not the instances' interval");
  }

  @Test
  void shouldLearnNoIntervalFromReportsThatBringNoNewerCapture() {
    SilenceClock clock = new SilenceClock(TICK, CEILING);
    for (long t = T0; t < T0 + 60 * MINUTE; t += 5 * MINUTE) {
      clock.advance(t);
      clock.arrived("svc", t == T0 ? "pod-1" : null); // pod-1's one capture sent again and again
    }
    assertEquals(TICK, clock.maxStepMs(), "duplicates are no interval");
  }

  /**
   * {@code rounds} rounds from {@code start}: pod-1 at each round's start, pod-2 half an {@code
   * intervalMs} later, the processor's clock following; returns the next round's start.
   */
  private static long feedAlternately(SilenceClock clock, long start, long intervalMs, int rounds) {
    long t = start;
    for (int i = 0; i < rounds; i++, t += intervalMs) {
      clock.advance(t);
      clock.arrived("svc", "pod-1");
      clock.advance(t + intervalMs / 2);
      clock.arrived("svc", "pod-2");
    }
    return t;
  }
}
