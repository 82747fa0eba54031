package dev.leakwatch.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LatencyTrackerTest {

  private static final long MS = 1_000_000;

  @Test
  void shouldMatchPublishAndEffectInEitherOrder() {
    LatencyTracker t = new LatencyTracker();
    t.published("p/0/1", 10 * MS, true);
    t.seen("p/0/1", 25 * MS);
    t.seen("p/0/2", 40 * MS); // processed before the broker's acknowledgement reached the publisher
    t.published("p/0/2", 10 * MS, true);
    assertEquals(2, t.latencies().count());
    assertEquals(15, t.latencies().percentileMs(50));
    assertEquals(30, t.latencies().maxMs());
    assertEquals(0, t.outstanding());
  }

  @Test
  void shouldIgnoreRecordsPublishedOutsideTheMeasurement() {
    LatencyTracker t = new LatencyTracker();
    t.published("a", 0, false);
    t.seen("a", 5 * MS);
    t.seen("b", 5 * MS);
    t.published("b", 0, false);
    assertEquals(0, t.latencies().count());
    assertEquals(0, t.outstanding());
  }

  @Test
  void shouldCountCountedRecordsNotSeenYetAsOutstanding() {
    LatencyTracker t = new LatencyTracker();
    t.published("a", 0, true);
    t.published("b", 0, true);
    t.seen("a", MS);
    assertEquals(1, t.outstanding());
  }

  @Test
  void shouldGiveNearestRankPercentiles() {
    Latencies l = new Latencies();
    for (int i = 100; i >= 1; i--) {
      l.add(i * MS);
    }
    assertEquals(50, l.percentileMs(50));
    assertEquals(99, l.percentileMs(99));
    assertEquals(100, l.maxMs());
    assertEquals(1, l.percentileMs(1));
  }
}
