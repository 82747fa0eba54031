package dev.leakwatch.demo;

/**
 * How a replay maps recorded capture times onto the wall clock (pacing) and onto the capture
 * times it publishes (stamping).
 *
 * <p>Pacing: a capture recorded {@code d} after the corpus' first one is published {@code
 * d / speed} after the replay starts, so the spacing between captures is kept, scaled.
 *
 * <p>Stamping: the published capture time (which is also the record timestamp, as the agent does)
 * keeps the <em>recorded</em> spacing, shifted so that the last capture is stamped with the moment
 * it is published and no capture is stamped later than its publication. Detection works on
 * capture time (minimum span, warm-up, rates per hour), so compressing the recorded spacing would
 * change what it sees; a shifted timeline behaves exactly like the recording, and stays within
 * what a broker accepts ({@code log.message.timestamp.after.max.ms}, one hour by default) and
 * within topic and window retention.
 *
 * @param speed recorded time per wall-clock time (2 = twice as fast as recorded); {@link
 *     Double#POSITIVE_INFINITY} publishes as fast as Kafka accepts
 * @param keepRecordedTimes publish the recorded capture times unchanged instead of shifting them
 */
public record ReplayTiming(double speed, boolean keepRecordedTimes) {

  public ReplayTiming {
    if (!(speed > 0)) {
      throw new IllegalArgumentException("speed must be positive, got " + speed);
    }
  }

  /** As fast as possible, with shifted capture times. */
  public static ReplayTiming asFastAsPossible() {
    return new ReplayTiming(Double.POSITIVE_INFINITY, false);
  }

  public boolean paced() {
    return !Double.isInfinite(speed);
  }

  /**
   * When, after the replay's start, to publish a capture recorded {@code recordedOffsetMs} after
   * the first capture; nanoseconds, 0 when not paced.
   */
  public long wallOffsetNanos(long recordedOffsetMs) {
    return paced() ? Math.round(recordedOffsetMs * 1_000_000.0 / speed) : 0;
  }

  /**
   * What to add to every recorded capture time, ms.
   *
   * @param firstMs recorded time of the first capture
   * @param spanMs recorded time from the first to the last capture
   * @param startMs wall-clock time at which the replay starts
   */
  public long shiftMs(long firstMs, long spanMs, long startMs) {
    if (keepRecordedTimes) {
      return 0;
    }
    long publishSpanMs = paced() ? Math.round(spanMs / speed) : 0;
    long lagMs = Math.max(0, spanMs - publishSpanMs);
    return startMs - lagMs - firstMs;
  }
}
