package dev.leakwatch.detect.growth;

/**
 * The outcome of judging one site's series: {@link #GROWING}, or the first guard that rejected it. Each
 * guard is described in docs/DETECTION.md.
 */
public enum Verdict {
    /** Sustained growth: every guard passed. */
    GROWING,
    /** Fewer than {@code minCaptures} known captures. */
    TOO_FEW_CAPTURES,
    /** The known captures span less than {@code minSpan}. */
    TOO_SHORT_SPAN,
    /** Mann-Kendall Z below {@code minTrendZ}: no significant monotonic rise (churn, noise). */
    NO_TREND,
    /** Theil–Sen slope below the absolute floor. */
    BELOW_ABSOLUTE_FLOOR,
    /** Theil–Sen slope below the floor relative to the instance total. */
    BELOW_RELATIVE_FLOOR,
    /** Rise from the oldest to the newest third smaller than the sampling resolution / minimum rise. */
    RISE_TOO_SMALL,
    /** The newest third's minimum is not above the oldest third's maximum: sawtooth, burst or fluctuation. */
    NOT_SEPARATED,
    /** The newest third rises much less than the older ones: growth stopped (warm-up plateau, held burst). */
    GROWTH_STOPPED,
    /** The rise since the site left its quiet level is shorter than {@code minCaptures} / {@code minSpan}. */
    GROWTH_TOO_SHORT,
    /** The growth began with the series and the series is younger than {@code warmup}: maybe a cache filling. */
    WARMING_UP,
    /**
     * The site gave back a large part of an earlier rise (a sweep, the end of a batch) and has not climbed
     * past that earlier peak by more than its noise: a cycle repeating, not memory that is never returned.
     */
    BELOW_EARLIER_PEAK,
    /**
     * Heap: the site's mean object lifetime (in-use bytes over allocation rate) shows no upward trend: memory
     * proportional to load (a ramp of in-flight requests), not objects that never die.
     */
    LIFETIME_NOT_RISING,
    /**
     * Every guard passed, but the service's {@link dev.leakwatch.detect.DetectionPolicy} rule turns judging
     * off, so no growth is reported: what {@link #GROWING} would be for a judged service.
     */
    NOT_JUDGED
}
