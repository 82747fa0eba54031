package dev.leakwatch.query;

import java.time.Instant;

/**
 * A half-open interval {@code [fromMs, toMs)} of capture time, ms since the Unix epoch (UTC).
 *
 * <p>Against tumbling windows of {@code w} ms a range selects every window that overlaps it: those
 * starting in {@code [floor(from / w) * w, to - 1]}; {@link #alignedTo} is the span they cover.
 */
public record TimeRange(long fromMs, long toMs) {

  public TimeRange {
    if (fromMs >= toMs) {
      throw new IllegalArgumentException("empty range [" + fromMs + ", " + toMs + ")");
    }
  }

  public long spanMs() {
    return toMs - fromMs;
  }

  /** Start of the first window this range selects. */
  public long firstWindowStart(long windowMs) {
    return Math.floorDiv(fromMs, windowMs) * windowMs;
  }

  /** Latest window start this range selects (inclusive). */
  public long lastWindowStart(long windowMs) {
    return Math.floorDiv(toMs - 1, windowMs) * windowMs;
  }

  /** The span covered by the windows this range selects. */
  public TimeRange alignedTo(long windowMs) {
    return new TimeRange(firstWindowStart(windowMs), lastWindowStart(windowMs) + windowMs);
  }

  /** ISO-8601 UTC form of a time, e.g. {@code 2026-01-31T12:00:00.250Z}. */
  public static String iso(long ms) {
    return Instant.ofEpochMilli(ms).toString();
  }
}
