package dev.leakwatch.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
    assertEquals(15 * TICK, clock.limitFor("svc").maxSilenceMs("pod-1"),
        "the 15 minutes that ran after the clock was set back count as silence");
  }
}
