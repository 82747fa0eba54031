package dev.leakwatch.agent.scrape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PacingTest {
  private static final Duration I = Duration.ofSeconds(10);

  @Test
  void shouldDoubleWaitPerFailureUpToCap() {
    Pacing p = new Pacing(0, Duration.ofSeconds(100), () -> 0.5);
    assertEquals(I, p.backoff(I, 0));
    assertEquals(Duration.ofSeconds(20), p.backoff(I, 1));
    assertEquals(Duration.ofSeconds(40), p.backoff(I, 2));
    assertEquals(Duration.ofSeconds(80), p.backoff(I, 3));
    assertEquals(Duration.ofSeconds(100), p.backoff(I, 4));
    assertEquals(Duration.ofSeconds(100), p.backoff(I, 1_000_000));
  }

  @Test
  void shouldNeverBackOffBelowIntervalWhenCapIsSmaller() {
    Pacing p = new Pacing(0, Duration.ofSeconds(1), () -> 0.5);
    assertEquals(I, p.backoff(I, 3));
  }

  @Test
  void shouldSpreadDelaysOverJitterRange() {
    assertEquals(Duration.ofSeconds(8), new Pacing(0.2, I, () -> 0.0).withJitter(I));
    assertEquals(Duration.ofSeconds(10), new Pacing(0.2, I, () -> 0.5).withJitter(I));
    assertEquals(Duration.ofSeconds(12), new Pacing(0.2, I, () -> 1.0).withJitter(I));
  }

  @Test
  void shouldStartFirstRoundWithinFirstInterval() {
    assertEquals(Duration.ZERO, new Pacing(0, I, () -> 0.0).firstDelay(I));
    assertEquals(Duration.ofMillis(9_990), new Pacing(0, I, () -> 0.999).firstDelay(I));
  }

  @Test
  void shouldRejectJitterOutsideRange() {
    assertThrows(IllegalArgumentException.class, () -> new Pacing(0.6, I));
  }
}
