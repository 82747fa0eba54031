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
 * The processor's clock as the lifecycle counts silence by it (a tick of 60 s at most per step). The
 * topology test driver's clock cannot go back, so the host's clock set back is shown here.
 */
class SilenceClockTest {
  private static final long TICK = 60_000;
  private static final long T0 = 1_790_000_000_000L;

  @Test
  void shouldGoOnCountingSilenceWhenTheProcessorsClockIsSetBack() {
    SilenceClock clock = new SilenceClock(TICK);
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
    SilenceClock clock = new SilenceClock(TICK);
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
}
