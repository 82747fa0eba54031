package dev.leakwatch.query;

import java.time.Duration;

/**
 * A time range as the caller gave it: either bound may be absent. Resolved against the service's
 * latest capture by the instance that owns the service ({@link #resolve}), so a replayed or
 * historic service gets a sensible default range whatever the wall clock says.
 *
 * @param fromParam name of the lower-bound parameter (for error messages)
 * @param fromMs lower bound (inclusive), ms since the epoch, or null for the default
 * @param toParam name of the upper-bound parameter
 * @param toMs upper bound (exclusive), or null for the default
 * @param fromRaw the lower bound as the caller wrote it (errors quote it), or null
 * @param toRaw the upper bound as the caller wrote it, or null
 */
public record RangeSpec(String fromParam, Long fromMs, String toParam, Long toMs, String fromRaw, String toRaw) {

  /** Range of a query that names no bounds: the hour before the latest capture. */
  public static final Duration DEFAULT_SPAN = Duration.ofHours(1);

  /**
   * Parses both bounds (see {@link Params#time}); when both are given, checks them at once.
   *
   * @param maxSpanMs the longest range accepted
   */
  public static RangeSpec parse(String fromParam, String fromRaw, String toParam, String toRaw, long nowMs,
      long maxSpanMs) {
    RangeSpec spec = new RangeSpec(fromParam, Params.time(fromParam, fromRaw, nowMs), toParam,
        Params.time(toParam, toRaw, nowMs), fromRaw, toRaw);
    if (spec.fromMs != null && spec.toMs != null) {
      spec.check(spec.fromMs, spec.toMs, maxSpanMs);
    }
    return spec;
  }

  /**
   * The range to query: {@code to} defaults to just after {@code latestMs} (so the latest capture
   * is included), {@code from} to {@code to} minus {@link #DEFAULT_SPAN}.
   *
   * @param latestMs the service's latest capture time (or the wall clock when unknown)
   * @throws InvalidParameterException when the bounds are out of order or too far apart
   */
  public TimeRange resolve(long latestMs, long maxSpanMs) {
    return resolve(latestMs, DEFAULT_SPAN.toMillis(), maxSpanMs);
  }

  /** Like {@link #resolve(long, long)} with another default length (at most {@code maxSpanMs}). */
  public TimeRange resolve(long latestMs, long defaultSpanMs, long maxSpanMs) {
    long to = toMs != null ? toMs : latestMs + 1;
    long from = fromMs != null ? fromMs : Math.max(0, to - Math.min(defaultSpanMs, maxSpanMs));
    check(from, to, maxSpanMs);
    return new TimeRange(from, to);
  }

  /**
   * A base range for comparison with {@code target}: by default the range of the same length that
   * ends where the first window {@code target} selects starts (a range selects every window it
   * overlaps, so ending at {@code target}'s own start would count that window on both sides); one
   * given bound is completed with that length.
   *
   * @param windowMs the windows' size
   */
  public TimeRange resolveBefore(TimeRange target, long windowMs, long maxSpanMs) {
    long span = target.spanMs();
    long from;
    long to;
    if (fromMs == null && toMs == null) {
      to = target.firstWindowStart(windowMs);
      from = to - span;
    } else if (fromMs == null) {
      to = toMs;
      from = to - span;
    } else {
      from = fromMs;
      to = toMs != null ? toMs : from + span;
    }
    if (from < 0) {
      throw new InvalidParameterException(fromParam, fromMs == null ? null : fromRaw,
          "the base range would start before 1970; give " + fromParam + " and " + toParam);
    }
    check(from, to, maxSpanMs);
    return new TimeRange(from, to);
  }

  /** A duration as {@code 7d}, {@code 1d 2h 30m}, {@code 45s} or {@code 250ms}. */
  static String human(long ms) {
    if (ms < 1000) {
      return ms + "ms";
    }
    Duration d = Duration.ofMillis(ms);
    StringBuilder b = new StringBuilder();
    append(b, d.toDays(), "d");
    append(b, d.toHoursPart(), "h");
    append(b, d.toMinutesPart(), "m");
    append(b, d.toSecondsPart(), "s");
    return b.toString();
  }

  private static void append(StringBuilder b, long n, String unit) {
    if (n != 0) {
      b.append(b.length() == 0 ? "" : " ").append(n).append(unit);
    }
  }

  /**
   * Checks bounds of which one or none may have been defaulted. An error names a bound that was
   * given and quotes it as given ({@code value}); a defaulted bound is quoted as the instant it
   * resolved to.
   */
  private void check(long from, long to, long maxSpanMs) {
    String fromValue = fromMs != null && fromRaw != null ? fromRaw : TimeRange.iso(from);
    String toValue = toMs != null && toRaw != null ? toRaw : TimeRange.iso(to);
    if (from >= to && fromMs == null) {
      throw new InvalidParameterException(toParam, toValue,
          "must be after " + TimeRange.iso(from) + ", the earliest " + fromParam);
    }
    if (from >= to) {
      throw new InvalidParameterException(fromParam, fromValue, "must be before " + toParam + " (" + toValue + ")");
    }
    if (to - from > maxSpanMs) {
      String span = " spans " + human(to - from) + "; at most " + human(maxSpanMs) + " is allowed";
      if (toMs == null && fromMs != null) { // only from was given: it made the range too long
        throw new InvalidParameterException(fromParam, fromValue, "the range to " + toValue + span);
      }
      throw new InvalidParameterException(toParam, toValue, "the range from " + fromValue + span);
    }
  }
}
