package dev.leakwatch.detect.growth;

import dev.leakwatch.detect.DetectionConfig;
import dev.leakwatch.detect.SuspectKind;
import dev.leakwatch.detect.series.TrackedSite;
import dev.leakwatch.detect.stats.MannKendall;
import dev.leakwatch.detect.stats.Poisson;
import dev.leakwatch.detect.stats.Robust;
import dev.leakwatch.detect.stats.TheilSen;

/**
 * Judges whether one site's series (heap in-use bytes after the last GC, or a goroutine count) shows
 * sustained growth. The series is split into an oldest, a middle and a newest third. Guards, in order
 * (docs/DETECTION.md gives the reasoning and what each one stops):
 * <ol>
 *   <li>enough evidence: at least {@code minCaptures} known captures spanning {@code minSpan};</li>
 *   <li>a significant monotonic trend: Mann-Kendall Z ≥ {@code minTrendZ} (churn and noise fail);</li>
 *   <li>a rate that matters: Theil–Sen slope ≥ the absolute floor and ≥ the relative floor (a fraction
 *       of the instance total per hour);</li>
 *   <li>a rise beyond the measurement's resolution: the newest third's median exceeds the oldest third's by
 *       the minimum rise (heap: a number of sampling periods, as one sampled object weighs about one
 *       MemProfileRate; goroutines: a count);</li>
 *   <li>separation: the newest third's minimum is above the oldest third's maximum — the floor rose past
 *       the old peaks (sawtooth batches, bursts back to baseline and fluctuation around a level fail);</li>
 *   <li>growth that goes on: the rise from the middle to the newest third is at least
 *       {@code minRecentRiseRatio} of the rise from the oldest to the middle third (a warm-up plateau or a
 *       held burst fails once its growth stopped);</li>
 *   <li>duration: the rise itself (the captures after the site left its quiet level) spans at least
 *       {@code minCaptures} captures and {@code minSpan} — a batch ramping after a long quiet stretch fails;</li>
 *   <li>warm-up: growth that began with the series (no quiet stretch at the initial level that growth at
 *       the observed rate would leave with probability ≥ {@code warmupQuietSignificance}) is presumed to be a cache or pool
 *       filling: it is not reported while the series is younger than {@code warmup}; afterwards it must also
 *       have gone on past the warm-up — the latest captures above every capture of the warm-up by the quiet
 *       tolerance — so a fill that flattened fails and a leak that goes on passes.</li>
 *   <li>past the earlier peak: a site that once gave back a large part of its rise (a TTL cache swept in
 *       bulk, a batch that ended) must climb past the peak it had then, by more than that peak's sampling
 *       noise ({@link TrackedSite#climbPast()}), with its latest captures, since a leak never gives memory
 *       back and a repeating cycle returns to about the same peak each time. This also holds a cycle longer
 *       than the window, which the thirds cannot see.</li>
 *   <li>heap only, where known: the site's mean object lifetime (Little's law: in-use bytes over allocation
 *       rate) rises too ({@link LifetimeTrend}) — memory proportional to a ramping load keeps a constant
 *       lifetime, a leak's grows with its age.</li>
 * </ol>
 * Stateless and thread-safe.
 */
public final class GrowthAnalyzer {
    private static final double MS_PER_HOUR = 3_600_000.0;
    /** Latest captures after the warm-up that must all exceed the warm-up's maximum (one could be a spike). */
    static final int MIN_CAPTURES_AFTER_WARMUP = 2;

    private final DetectionConfig config;

    public GrowthAnalyzer(DetectionConfig config) {
        this.config = config;
    }

    /**
     * @param times             capture times (ms), strictly increasing
     * @param values            the site's values at those times, same length
     * @param kind              heap (bytes) or goroutine (count)
     * @param samplingPeriod    heap MemProfileRate in bytes; 1 for goroutines
     * @param instanceTotal     the instance's current total (in-use heap bytes or goroutines)
     * @param generationStartMs when the current series began
     * @param quietUntilMs      last capture time at which the site was still at its initial level
     *                          ({@link dev.leakwatch.detect.series.TrackedSite#quietUntilMs()})
     */
    public SiteJudgement judge(long[] times, long[] values, SuspectKind kind, long samplingPeriod,
            long instanceTotal, long generationStartMs, long quietUntilMs) {
        return judge(times, values, kind, samplingPeriod, instanceTotal, generationStartMs, quietUntilMs,
                TrackedSite.NO_RELEASE, null);
    }

    /**
     * As {@link #judge(long[], long[], SuspectKind, long, long, long, long)}, with what the site's series keeps
     * beyond the window: guards 9 and 10.
     *
     * @param climbPast the level the site must climb past, having given back a large part of an earlier rise
     *                  ({@link TrackedSite#climbPast()}), or {@link TrackedSite#NO_RELEASE}
     * @param lifetimes the site's mean object lifetime codes aligned with {@code values}
     *                  ({@link TrackedSite#knownLifetimes()}, {@link LifetimeTrend}), or null when unknown
     */
    public SiteJudgement judge(long[] times, long[] values, SuspectKind kind, long samplingPeriod,
            long instanceTotal, long generationStartMs, long quietUntilMs, long climbPast, int[] lifetimes) {
        SiteJudgement j = judgeUpToWarmup(times, values, kind, samplingPeriod, instanceTotal, generationStartMs,
                quietUntilMs);
        if (!j.growing()) {
            return j;
        }
        if (climbPast != TrackedSite.NO_RELEASE && !latestAbove(times.length, values, climbPast)) {
            return SiteJudgement.rejected(Verdict.BELOW_EARLIER_PEAK, j.zScore(), j.slopePerHour());
        }
        if (kind == SuspectKind.HEAP && !LifetimeTrend.risingOrUnknown(lifetimes, config.minCaptures())) {
            return SiteJudgement.rejected(Verdict.LIFETIME_NOT_RISING, j.zScore(), j.slopePerHour());
        }
        return j;
    }

    /** Guards 1 to 8. */
    private SiteJudgement judgeUpToWarmup(long[] times, long[] values, SuspectKind kind, long samplingPeriod,
            long instanceTotal, long generationStartMs, long quietUntilMs) {
        long quantum = kind == SuspectKind.HEAP ? Math.max(1, samplingPeriod) : 1;
        SiteJudgement j = judgeWindow(times, values, kind, quantum, instanceTotal);
        if (!j.growing()) {
            return j;
        }
        if (!lastedLongEnough(times, quietUntilMs)) {
            return SiteJudgement.rejected(Verdict.GROWTH_TOO_SHORT, j.zScore(), j.slopePerHour());
        }
        if (!roseThroughout(times, values, quietUntilMs)) {
            return SiteJudgement.rejected(Verdict.GROWTH_STOPPED, j.zScore(), j.slopePerHour());
        }
        if (roseAfterQuietStretch(kind, quantum, j.slopePerHour(), quietUntilMs - generationStartMs)) {
            return j; // a quiet stretch that growth since the start would hardly leave: not a warm-up
        }
        long warmupEnd = generationStartMs + config.warmup().toMillis();
        if (times[times.length - 1] < warmupEnd) {
            return SiteJudgement.rejected(Verdict.WARMING_UP, j.zScore(), j.slopePerHour());
        }
        double tolerance = config.quietTolerance(kind == SuspectKind.HEAP, quantum);
        return continuedAfter(warmupEnd, times, values, tolerance) ? j
                : SiteJudgement.rejected(Verdict.WARMING_UP, j.zScore(), j.slopePerHour());
    }

    /**
     * A necessary condition for {@link #judge} to find growth, checked in one pass without allocating: guard 1
     * (enough captures over enough time) and guard 5 (the newest third's minimum above the oldest third's
     * maximum). False means {@code judge} would reject the series; true decides nothing. Most tracked sites of a
     * healthy fleet fail guard 5, so the detector asks this first and spends the trend test and the slope (each
     * quadratic in the captures) only on the rest.
     *
     * @param times  capture times (ms), strictly increasing
     * @param values the site's values at those times, same length
     */
    public boolean mayBeGrowing(long[] times, long[] values) {
        int n = values.length;
        if (n < config.minCaptures() || times[n - 1] - times[0] < config.minSpan().toMillis()) {
            return false;
        }
        int third = n / 3;
        double oldestMax = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < third; i++) {
            oldestMax = Math.max(oldestMax, (double) values[i]);
        }
        for (int i = n - third; i < n; i++) {
            if ((double) values[i] <= oldestMax) {
                return false;
            }
        }
        return true;
    }

    /**
     * The rise itself — the captures after the site left its quiet level — must span {@code minCaptures}
     * captures and {@code minSpan}: a batch or burst that ramps for a few captures after a long quiet
     * stretch has a convincing shape but not yet the duration of a leak.
     */
    private boolean lastedLongEnough(long[] times, long quietUntilMs) {
        int rising = 0;
        for (long t : times) {
            if (t > quietUntilMs) {
                rising++;
            }
        }
        long span = times[times.length - 1] - Math.max(quietUntilMs, times[0]);
        return rising >= config.minCaptures() && span >= config.minSpan().toMillis();
    }

    /**
     * Guard 6 again, over the rise itself rather than the window's thirds: the captures after the site
     * left its quiet level, split into an earlier and a later half, must rise from the one to the other
     * by at least {@code minRecentRiseRatio} of the earlier half's rise over the quiet level. A leak
     * rises in both halves (a linear one twice as much from the earlier half to the later as from the
     * quiet level to the earlier); a one-time step to a new flat level — a table loaded once, a heap
     * profile whose MemProfileRate was raised (Go rescales every record by the current rate) — has
     * done all its rising by the earlier half. The thirds miss such a step when it falls near the middle
     * of the window: the middle third's median is still the old level.
     */
    private boolean roseThroughout(long[] times, long[] values, long quietUntilMs) {
        int n = times.length;
        int firstRising = 0;
        while (firstRising < n && times[firstRising] <= quietUntilMs) {
            firstRising++;
        }
        int rising = n - firstRising;
        int half = rising / 2;
        if (half == 0) {
            return true; // lastedLongEnough already refused a rise this short
        }
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = values[i];
        }
        // the quiet level: the captures before the rise in the window, else the rise started before it
        double quiet = firstRising > 0 ? Robust.median(y, 0, firstRising) : y[0];
        double earlier = Robust.median(y, firstRising, firstRising + half);
        double later = Robust.median(y, n - half, n);
        return later - earlier > 0 && later - earlier >= config.minRecentRiseRatio() * (earlier - quiet);
    }

    /**
     * After the warm-up, growth that began with the series must have gone on: the last
     * {@link #MIN_CAPTURES_AFTER_WARMUP} captures, all taken after the warm-up, each exceed every capture
     * before it by at least the quiet tolerance. A cache that filled during the warm-up stays at (or
     * wanders around) its fill level and fails; a leak climbs past it, even a sampled staircase.
     */
    private static boolean continuedAfter(long warmupEnd, long[] times, long[] values, double tolerance) {
        int n = times.length;
        if (n < MIN_CAPTURES_AFTER_WARMUP || times[n - MIN_CAPTURES_AFTER_WARMUP] < warmupEnd) {
            return false;
        }
        long before = Long.MIN_VALUE;
        for (int i = 0; i < n && times[i] < warmupEnd; i++) {
            before = Math.max(before, values[i]);
        }
        if (before == Long.MIN_VALUE) {
            return true; // the window holds nothing from the warm-up: guards 1-6 judged growth after it
        }
        return latestAbove(n, values, before + tolerance);
    }

    /** True when each of the last {@link #MIN_CAPTURES_AFTER_WARMUP} of the {@code n} values reaches {@code level}. */
    private static boolean latestAbove(int n, long[] values, double level) {
        if (n < MIN_CAPTURES_AFTER_WARMUP) {
            return false;
        }
        for (int i = n - MIN_CAPTURES_AFTER_WARMUP; i < n; i++) {
            if (values[i] < level) {
                return false;
            }
        }
        return true;
    }

    /**
     * Tests "the growth began with the series": under that hypothesis, sampled quanta (heap: objects of
     * about one MemProfileRate; goroutines: one goroutine) arrive as a Poisson process at {@code slope /
     * quantum}, so after {@code quietMs} at most {@code tolerance / quantum} of them arrive with probability
     * {@code P(Poisson(λ) ≤ k)}. Below {@code warmupQuietSignificance} the hypothesis is rejected.
     */
    private boolean roseAfterQuietStretch(SuspectKind kind, long quantum, double slopePerHour, double quietMs) {
        if (quietMs <= 0 || !(slopePerHour > 0)) {
            return false;
        }
        double lambda = slopePerHour / MS_PER_HOUR * quietMs / quantum;
        int k = (int) Math.floor(config.quietTolerance(kind == SuspectKind.HEAP, quantum) / quantum);
        return Poisson.cdf(k, lambda) < config.warmupQuietSignificance();
    }

    /** Guards 1 to 6 on one window. */
    private SiteJudgement judgeWindow(long[] times, long[] values, SuspectKind kind, long quantum,
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
        double minRise = heap ? config.heapMinRiseSamplingPeriods() * quantum : config.goroutineMinRise();
        if (m3 - m1 < Math.max(minRise, Double.MIN_VALUE)) {
            return SiteJudgement.rejected(Verdict.RISE_TOO_SMALL, z, slope);
        }
        if (Robust.min(y, n - third, n) <= Robust.max(y, 0, third)) {
            return SiteJudgement.rejected(Verdict.NOT_SEPARATED, z, slope);
        }
        if (m3 - m2 <= 0 || m3 - m2 < config.minRecentRiseRatio() * (m2 - m1)) {
            return SiteJudgement.rejected(Verdict.GROWTH_STOPPED, z, slope);
        }
        return new SiteJudgement(Verdict.GROWING, z, slope, riseStart(y, third, Robust.min(y, 0, third)));
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
