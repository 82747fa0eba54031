package dev.leakwatch.detect.growth;

import dev.leakwatch.detect.DetectionConfig;
import dev.leakwatch.detect.SuspectKind;
import dev.leakwatch.detect.stats.MannKendall;
import dev.leakwatch.detect.stats.Robust;
import dev.leakwatch.detect.stats.TheilSen;

/**
 * Judges whether one site's series (heap in-use bytes after the last GC, or a goroutine count) shows
 * sustained growth. Guards, in order (docs/DETECTION.md gives the reasoning):
 * <ol>
 *   <li>enough evidence: at least {@code minCaptures} known captures spanning {@code minSpan};</li>
 *   <li>a significant monotonic trend: Mann-Kendall Z ≥ {@code minTrendZ} (churn and noise fail);</li>
 *   <li>a rate that matters: Theil–Sen slope ≥ the absolute floor and ≥ the relative floor (a fraction
 *       of the instance total per hour);</li>
 *   <li>a rise beyond the measurement's resolution: the median of the newest third exceeds that of the
 *       oldest third by the minimum rise (heap: a number of sampling periods, since one sampled object
 *       weighs about one MemProfileRate);</li>
 *   <li>a rising floor: the minimum of the newest third exceeds the minimum of the oldest third by the same
 *       amount (sawtooth batches and bursts that return to baseline fail);</li>
 *   <li>growth that goes on: the rise between the middle and the newest third is at least
 *       {@code minRecentRiseRatio} of the rise between the oldest and the middle third (a warm-up plateau
 *       or a held burst fails once its growth stopped).</li>
 * </ol>
 * Stateless and thread-safe.
 */
public final class GrowthAnalyzer {
    private static final double MS_PER_HOUR = 3_600_000.0;

    private final DetectionConfig config;

    public GrowthAnalyzer(DetectionConfig config) {
        this.config = config;
    }

    /**
     * @param times          capture times (ms), strictly increasing
     * @param values         the site's values at those times, same length
     * @param kind           heap (bytes) or goroutine (count)
     * @param samplingPeriod heap MemProfileRate in bytes; 1 for goroutines
     * @param instanceTotal  the instance's current total (in-use heap bytes or goroutines)
     */
    public SiteJudgement judge(long[] times, long[] values, SuspectKind kind, long samplingPeriod,
            long instanceTotal) {
        int n = values.length;
        if (n < config.minCaptures()) {
            return SiteJudgement.rejected(Verdict.TOO_FEW_CAPTURES, Double.NaN, Double.NaN);
        }
        if (times[n - 1] - times[0] < config.minSpan().toMillis()) {
            return SiteJudgement.rejected(Verdict.TOO_SHORT_SPAN, Double.NaN, Double.NaN);
        }
        double[] y = new double[n];
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = values[i];
            t[i] = (times[i] - times[0]) / MS_PER_HOUR;
        }
        double z = MannKendall.test(y).z();
        if (z < config.minTrendZ()) {
            return SiteJudgement.rejected(Verdict.NO_TREND, z, Double.NaN);
        }
        double slope = TheilSen.slope(t, y);
        boolean heap = kind == SuspectKind.HEAP;
        double absFloor = heap ? config.heapMinBytesPerHour() : config.goroutineMinPerHour();
        double relFloor = (heap ? config.heapMinRelativePerHour() : config.goroutineMinRelativePerHour())
                * instanceTotal;
        if (slope < absFloor) {
            return SiteJudgement.rejected(Verdict.BELOW_ABSOLUTE_FLOOR, z, slope);
        }
        if (slope < relFloor) {
            return SiteJudgement.rejected(Verdict.BELOW_RELATIVE_FLOOR, z, slope);
        }
        int third = n / 3;
        double m1 = Robust.median(y, 0, third);
        double m2 = Robust.median(y, third, n - third);
        double m3 = Robust.median(y, n - third, n);
        double minRise = heap ? config.heapMinRiseSamplingPeriods() * samplingPeriod : config.goroutineMinRise();
        minRise = Math.max(minRise, Double.MIN_VALUE);
        if (m3 - m1 < minRise) {
            return SiteJudgement.rejected(Verdict.RISE_TOO_SMALL, z, slope);
        }
        double f1 = Robust.min(y, 0, third);
        double f3 = Robust.min(y, n - third, n);
        if (f3 - f1 < minRise) {
            return SiteJudgement.rejected(Verdict.FLOOR_NOT_RISING, z, slope);
        }
        if (m3 - m2 <= 0 || m3 - m2 < config.minRecentRiseRatio() * (m2 - m1)) {
            return SiteJudgement.rejected(Verdict.GROWTH_STOPPED, z, slope);
        }
        return new SiteJudgement(Verdict.GROWING, z, slope, riseStart(y, third, f1));
    }

    /** The capture after the last one (within the oldest third) at the oldest third's floor. */
    private static int riseStart(double[] y, int third, double floor) {
        int last = 0;
        for (int i = 0; i < third; i++) {
            if (y[i] == floor) {
                last = i;
            }
        }
        return Math.min(last + 1, y.length - 1);
    }
}
