package dev.leakwatch.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Ranges default to the hour before the service's latest capture and are bounded. */
class RangeSpecTest {

  private static final long MINUTE = 60_000;
  private static final long HOUR = 3_600_000;
  private static final long WEEK = 7 * 24 * HOUR;
  private static final long LATEST = 1_800_000_000_000L;

  private static RangeSpec spec(String from, String to) {
    return RangeSpec.parse("from", from, "to", to, LATEST + 999_999, WEEK);
  }

  @Test
  void shouldEndJustAfterTheLatestCaptureAndSpanAnHourByDefault() {
    assertEquals(new TimeRange(LATEST + 1 - HOUR, LATEST + 1), spec(null, null).resolve(LATEST, WEEK));
  }

  @Test
  void shouldCompleteAGivenStartWithTheLatestCapture() {
    assertEquals(new TimeRange(LATEST - 2 * HOUR, LATEST + 1),
        spec(Long.toString(LATEST - 2 * HOUR), null).resolve(LATEST, WEEK));
  }

  @Test
  void shouldRejectAStartThatIsNotBeforeTheEnd() {
    InvalidParameterException e = assertThrows(InvalidParameterException.class,
        () -> spec("2027-01-01T00:00:00Z", "2026-01-01T00:00:00Z"));
    assertEquals("from", e.parameter());
    assertEquals("must be before to (2026-01-01T00:00:00Z)", e.rule());
  }

  @Test
  void shouldQuoteBothBoundsAsGivenWhenTheyAreOutOfOrder() {
    InvalidParameterException e = assertThrows(InvalidParameterException.class, () -> spec("now-1h", "now-2h"));
    assertEquals("from", e.parameter());
    assertEquals("now-1h", e.value());
    assertEquals("must be before to (now-2h)", e.rule());
  }

  @Test
  void shouldBlameTheBoundThatWasGivenWhenTheOtherIsDefaulted() {
    InvalidParameterException e = assertThrows(InvalidParameterException.class,
        () -> spec(null, "0").resolve(LATEST, WEEK));
    assertEquals("to", e.parameter(), "only to was given");
    assertEquals("0", e.value(), "as given");
    assertEquals("must be after 1970-01-01T00:00:00Z, the earliest from", e.rule());
  }

  @Test
  void shouldRejectRangesLongerThanTheMaximumNamingBothLengths() {
    InvalidParameterException e = assertThrows(InvalidParameterException.class,
        () -> spec("2026-01-01T00:00:00Z", "2026-01-09T00:00:00Z"));
    assertEquals("to", e.parameter());
    assertEquals("the range from 2026-01-01T00:00:00Z spans 8d; at most 7d is allowed", e.rule());
  }

  @Test
  void shouldBlameTheGivenStartWhenItMakesTheRangeTooLongToTheDefaultEnd() {
    InvalidParameterException e = assertThrows(InvalidParameterException.class,
        () -> spec("0", null).resolve(LATEST, WEEK));
    assertEquals("from", e.parameter(), "only from was given; to was defaulted");
    assertEquals("0", e.value(), "as given");
    assertTrue(e.rule().startsWith("the range to " + TimeRange.iso(LATEST + 1) + " spans "), e.rule());
    assertTrue(e.rule().endsWith("; at most 7d is allowed"), e.rule());
  }

  @Test
  void shouldPlaceTheDefaultBaseJustBeforeTheTargetWithTheSameLength() {
    TimeRange target = new TimeRange(LATEST - HOUR, LATEST);
    RangeSpec none = RangeSpec.parse("baseFrom", null, "baseTo", null, LATEST, WEEK);
    assertEquals(new TimeRange(LATEST - 2 * HOUR, LATEST - HOUR), none.resolveBefore(target, MINUTE, WEEK));
    RangeSpec start = RangeSpec.parse("baseFrom", Long.toString(LATEST - 10 * HOUR), "baseTo", null, LATEST, WEEK);
    assertEquals(new TimeRange(LATEST - 10 * HOUR, LATEST - 9 * HOUR), start.resolveBefore(target, MINUTE, WEEK));
  }

  @Test
  void shouldEndTheDefaultBaseWhereTheTargetsFirstWindowStartsSoNoWindowCountsOnBothSides() {
    // the default target of a service whose latest capture is not on a window boundary
    long latest = LATEST + 34 * MINUTE + 56_789;
    TimeRange target = RangeSpec.parse("from", null, "to", null, latest, WEEK).resolve(latest, WEEK);
    TimeRange base = RangeSpec.parse("baseFrom", null, "baseTo", null, latest, WEEK)
        .resolveBefore(target, MINUTE, WEEK);
    assertEquals(target.firstWindowStart(MINUTE), base.toMs(), "the base ends where the target's windows start");
    assertEquals(target.spanMs(), base.spanMs(), "same length");
    assertTrue(base.lastWindowStart(MINUTE) < target.firstWindowStart(MINUTE), "no window on both sides");
  }

  @Test
  void shouldAlignRangesToTheWindowsTheyOverlap() {
    TimeRange r = new TimeRange(12_500, 20_001);
    assertEquals(10_000, r.firstWindowStart(5_000));
    assertEquals(20_000, r.lastWindowStart(5_000));
    assertEquals(new TimeRange(10_000, 25_000), r.alignedTo(5_000));
    assertEquals(new TimeRange(10_000, 20_000), new TimeRange(10_000, 20_000).alignedTo(5_000));
  }

  @Test
  void shouldWriteDurationsForPeople() {
    assertEquals("7d", RangeSpec.human(WEEK));
    assertEquals("1d 2h 30m", RangeSpec.human(26 * HOUR + 30 * 60_000));
    assertEquals("250ms", RangeSpec.human(250));
  }
}
