package dev.leakwatch.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The stamping contract of {@link ReplayTiming}: recorded spacing kept, the last capture stamped
 * with the moment it is published, no capture stamped after its publication.
 */
class ReplayTimingTest {

  private static final long FIRST = 1_795_677_078_919L;
  private static final long SPAN = 34_000;
  private static final long START = 1_800_000_000_000L;
  private static final long[] OFFSETS = {0, 1_000, 1_001, 17_000, 33_999, SPAN};

  @ParameterizedTest
  @ValueSource(doubles = {0.5, 1, 2, 7.5, 100})
  void shouldStampTheLastCaptureWithItsPublishTimeAndNoCaptureLater(double speed) {
    ReplayTiming t = new ReplayTiming(speed, false);
    long shift = t.shiftMs(FIRST, SPAN, START);
    for (long offset : OFFSETS) {
      long stamped = FIRST + offset + shift;
      long publishedAt = START + t.wallOffsetNanos(offset) / 1_000_000;
      assertTrue(stamped <= publishedAt + 1, "offset " + offset + ": stamped " + stamped + " after publication " + publishedAt);
    }
    long lastPublishedAt = START + t.wallOffsetNanos(SPAN) / 1_000_000;
    if (speed >= 1) {
      assertEquals(lastPublishedAt, FIRST + SPAN + shift, 1.0, "the last capture carries its publication time");
    } else {
      assertEquals(START, FIRST + shift, "slower than recorded: the first capture is stamped when it is published");
    }
  }

  @Test
  void shouldStampEverythingAtOrBeforeTheStartWhenNotPaced() {
    ReplayTiming t = ReplayTiming.asFastAsPossible();
    long shift = t.shiftMs(FIRST, SPAN, START);
    assertEquals(START, FIRST + SPAN + shift);
    for (long offset : OFFSETS) {
      assertEquals(0, t.wallOffsetNanos(offset));
    }
  }

  @Test
  void shouldPublishAtRecordedOffsetsDividedBySpeed() {
    ReplayTiming t = new ReplayTiming(4, false);
    assertEquals(250_000_000L, t.wallOffsetNanos(1_000), "1 s recorded = 250 ms at 4x");
    assertEquals(8_500_000_000L, t.wallOffsetNanos(SPAN));
  }

  @Test
  void shouldKeepRecordedTimesWhenAsked() {
    assertEquals(0, new ReplayTiming(3, true).shiftMs(FIRST, SPAN, START));
  }

  @Test
  void shouldRejectSpeedsThatAreNotPositive() {
    assertThrows(IllegalArgumentException.class, () -> new ReplayTiming(0, false));
    assertThrows(IllegalArgumentException.class, () -> new ReplayTiming(-1, false));
    assertThrows(IllegalArgumentException.class, () -> new ReplayTiming(Double.NaN, false));
  }
}
