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
    /** The floor (minimum) of the newest third is not above that of the oldest: sawtooth or burst. */
    FLOOR_NOT_RISING,
    /** The newest third rises much less than the older ones: growth stopped (warm-up plateau, held burst). */
    GROWTH_STOPPED
}
