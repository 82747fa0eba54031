package dev.leakwatch.detect.growth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.detect.DetectionConfig;
import dev.leakwatch.detect.SuspectKind;
import java.util.Arrays;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Each guard on a numeric series built to pass every earlier guard and fail that one (default settings:
 * 8 captures and 20 s of rise, Z ≥ 3, goroutine floors 10/h and 1 %/h of the total, a rise of 10
 * goroutines or 2 sampling periods, recent rise ≥ 25 % of the earlier one, warm-up 2 min).
 */
class GrowthAnalyzerTest {
    private static final DetectionConfig CONFIG = DetectionConfig.defaults();
    private static final GrowthAnalyzer ANALYZER = new GrowthAnalyzer(CONFIG);
    private static final long PERIOD = 512 * 1024;

    /** Capture times every {@code stepMs} from 0. */
    private static long[] times(int n, long stepMs) {
        return LongStream.range(0, n).map(i -> i * stepMs).toArray();
    }

    /** {@code zeros} zeros, then {@code rising} values rising by {@code step}, then {@code flat} at the top. */
    private static long[] shape(int zeros, int rising, long step, int flat) {
        long[] v = new long[zeros + rising + flat];
        for (int i = 0; i < rising; i++) {
            v[zeros + i] = step * (i + 1);
        }
        for (int i = 0; i < flat; i++) {
            v[zeros + rising + i] = step * rising;
        }
        return v;
    }

    private static SiteJudgement goroutines(long[] times, long[] values, long total, long quietUntil) {
        return ANALYZER.judge(times, values, SuspectKind.GOROUTINE, 1, total, 0, quietUntil);
    }

    @Test
    void shouldFlagASteadyRiseThatStartedAfterAQuietStretch() {
        long[] t = times(20, 3000);
        long[] v = shape(6, 14, 5, 0);
        SiteJudgement j = goroutines(t, v, 200, t[5]);
        assertEquals(Verdict.GROWING, j.verdict());
        assertEquals(6000.0, j.slopePerHour(), 1e-6, "5 goroutines per 3 s");
        assertEquals(6, j.firstGrowthIndex(), "the capture after the last one at the floor");
        assertTrue(j.zScore() > 5, "z = " + j.zScore());
    }

    @Test
    void shouldWaitForEnoughCapturesAndTime() {
        assertEquals(Verdict.TOO_FEW_CAPTURES, goroutines(times(7, 3000), shape(0, 7, 5, 0), 200, 0).verdict());
        assertEquals(Verdict.TOO_SHORT_SPAN, goroutines(times(12, 1000), shape(0, 12, 5, 0), 200, 0).verdict());
    }

    @Test
    void shouldIgnoreChurnWithoutATrend() {
        long[] v = LongStream.range(0, 30).map(i -> i % 2 == 0 ? 0 : 100).toArray();
        assertEquals(Verdict.NO_TREND, goroutines(times(30, 3000), v, 200, 0).verdict());
    }

    @Test
    void shouldIgnoreASignificantButNegligibleRate() {
        // one goroutine per 10 minutes = 6/h < 10/h
        long[] t = times(20, 600_000);
        assertEquals(Verdict.BELOW_ABSOLUTE_FLOOR, goroutines(t, shape(0, 20, 1, 0), 200, 0).verdict());
        // 6000/h, but the instance runs a million goroutines: 1 %/h of it is 10000/h
        long[] t2 = times(20, 3000);
        assertEquals(Verdict.BELOW_RELATIVE_FLOOR, goroutines(t2, shape(6, 14, 5, 0), 1_000_000, t2[5]).verdict());
    }

    @Test
    void shouldNotCountARiseSmallerThanTwoSamplingPeriodsOfHeap() {
        // 2 KiB per 3 s (2.4 MB/h) for a minute: a 40 KiB rise where one sampled object weighs 512 KiB
        long[] t = times(20, 3000);
        SiteJudgement j = ANALYZER.judge(t, shape(0, 20, 2048, 0), SuspectKind.HEAP, PERIOD, 10_000_000, 0, 0);
        assertEquals(Verdict.RISE_TOO_SMALL, j.verdict());
    }

    @Test
    void shouldRequireTheNewestFloorAboveTheOldestPeak() {
        // a spike of 300 among the oldest third; the newest third rises from 160 only
        long[] v = {0, 0, 0, 0, 0, 0, 300, 20, 40, 60, 80, 100, 120, 140, 160, 180, 200, 220, 240, 260, 280};
        long[] t = times(v.length, 3000);
        assertEquals(Verdict.NOT_SEPARATED, goroutines(t, v, 1000, t[5]).verdict());
    }

    @Test
    void shouldRecogniseThatGrowthStopped() {
        // rises for 10 captures after a quiet start, then holds for 11: a plateau or a held burst
        long[] t = times(24, 3000);
        assertEquals(Verdict.GROWTH_STOPPED, goroutines(t, shape(3, 10, 10, 11), 1000, t[2]).verdict());
    }

    @Test
    void shouldNotFlagAOneTimeStepToANewFlatLevelNearTheMiddleOfTheWindow() {
        // a table loaded once 6 min after start (or MemProfileRate raised, which Go's heap profile
        // rescales every record by): flat at ~10 sampled objects, then flat at ~50 from capture 25 on.
        // The middle third's median is still the old level, so the thirds alone see growth going on.
        long[] v = LongStream.range(0, 48).map(i -> PERIOD * ((i < 25 ? 10 : 50) + i % 2)).toArray();
        long[] t = times(48, 15_000);
        SiteJudgement j = ANALYZER.judge(t, v, SuspectKind.HEAP, PERIOD, 100_000_000, 0, t[24]);
        assertEquals(Verdict.GROWTH_STOPPED, j.verdict());
    }

    @Test
    void shouldStillFlagALeakWhoseRiseStartedNearTheMiddleOfTheWindow() {
        // the same quiet start, then one more sampled object per capture: the rise goes on in both halves
        long[] v = LongStream.range(0, 48).map(i -> PERIOD * (10 + Math.max(0, i - 24) + i % 2)).toArray();
        long[] t = times(48, 15_000);
        assertEquals(Verdict.GROWING,
                ANALYZER.judge(t, v, SuspectKind.HEAP, PERIOD, 100_000_000, 0, t[24]).verdict());
    }

    @Test
    void shouldNotFlagABatchRampingForFewerCapturesThanALeakMustLast() {
        // quiet for 14 captures, then a ramp of 7 captures (21 s): shape of a leak, duration of a batch
        long[] t = times(21, 3000);
        assertEquals(Verdict.GROWTH_TOO_SHORT, goroutines(t, shape(14, 7, 50, 0), 1000, t[13]).verdict());
    }

    @Test
    void shouldHoldBackGrowthThatBeganWithTheSeriesUntilTheWarmUpIsOver() {
        // rising from the very first capture: could be a pool or cache filling
        long[] t = times(30, 3000);
        assertEquals(Verdict.WARMING_UP, goroutines(t, shape(0, 30, 5, 0), 1000, 0).verdict());
    }

    @Test
    void shouldFlagGrowthFromTheStartThatGoesOnPastTheWarmUp() {
        // 48 captures over 141 s: the captures after 120 s all exceed everything before
        long[] t = times(48, 3000);
        assertEquals(Verdict.GROWING, goroutines(t, shape(0, 48, 5, 0), 1000, 0).verdict());
    }

    @Test
    void shouldNotFlagAFillFromTheStartThatFlattenedAtTheWarmUpsEnd() {
        // rising until 117 s, then holding the level: nothing after the warm-up exceeds the level before it
        long[] t = times(48, 3000);
        SiteJudgement j = goroutines(t, shape(0, 40, 5, 8), 1000, 0);
        assertEquals(Verdict.WARMING_UP, j.verdict());
    }

    @Test
    void shouldFlagASampledStaircaseFromTheStartOnceItClimbsPastItsWarmUpLevel() {
        // a slow leak seen through 512 KiB sampling: one more sampled object every 4 captures (12 s)
        long[] v = LongStream.range(0, 48).map(i -> PERIOD * ((i + 3) / 4)).toArray();
        long[] t = times(48, 3000);
        // 12 s at one sampled object is what growth from the start would look like (P = 0.74): warm-up
        long quietUntil = t[4];
        // at 123 s the newest capture still sits on the warm-up's top stair
        SiteJudgement atTop = ANALYZER.judge(Arrays.copyOf(t, 42), Arrays.copyOf(v, 42),
                SuspectKind.HEAP, PERIOD, 100_000_000, 0, quietUntil);
        assertEquals(Verdict.WARMING_UP, atTop.verdict());
        // at 141 s the last two captures are two stairs above everything before 120 s
        assertEquals(Verdict.GROWING,
                ANALYZER.judge(t, v, SuspectKind.HEAP, PERIOD, 100_000_000, 0, quietUntil).verdict());
    }

    @Test
    void shouldNotFlagARiseThatHasNotClimbedPastThePeakTheSiteGaveBackBefore() {
        // a steady rise after a quiet stretch (GROWING on its own), by a site that earlier in the series
        // peaked at 70 goroutines and gave most of them back (so must climb past 75): a cycle repeating
        long[] t = times(20, 3000);
        long[] v = shape(6, 14, 5, 0); // tops out at 70
        SiteJudgement j = ANALYZER.judge(t, v, SuspectKind.GOROUTINE, 1, 200, 0, t[5], 75, null);
        assertEquals(Verdict.BELOW_EARLIER_PEAK, j.verdict());
    }

    @Test
    void shouldFlagARiseOnceItsLatestCapturesArePastThePeakTheSiteGaveBackBefore() {
        long[] t = times(20, 3000);
        long[] v = shape(6, 14, 5, 0); // 65 and 70 at the last two captures
        // both at or past 65: a leak's peaks only climb
        assertEquals(Verdict.GROWING,
                ANALYZER.judge(t, v, SuspectKind.GOROUTINE, 1, 200, 0, t[5], 65, null).verdict());
        // the one before last is not past 66: one capture past it could be a spike
        assertEquals(Verdict.BELOW_EARLIER_PEAK,
                ANALYZER.judge(t, v, SuspectKind.GOROUTINE, 1, 200, 0, t[5], 66, null).verdict());
    }

    /** A heap site rising by 4 sampling periods per 3 s after a quiet stretch: GROWING on guards 1-9. */
    private static SiteJudgement heapRise(int[] lifetimes) {
        long[] t = times(20, 3000);
        long[] v = shape(6, 14, 4 * PERIOD, 0);
        return ANALYZER.judge(t, v, SuspectKind.HEAP, PERIOD, 1_000_000_000, 0, t[5], -1, lifetimes);
    }

    /** Lifetime codes: unknown during the quiet stretch, then {@code first} stepping by {@code step}. */
    private static int[] lifetimes(int known, int first, int step) {
        int[] c = new int[20];
        for (int i = 20 - known; i < 20; i++) {
            c[i] = first + step * (i - (20 - known));
        }
        return c;
    }

    @Test
    void shouldNotFlagAHeapRiseWhoseObjectLifetimeStaysFlat() {
        // load-proportional memory: more bytes in use at a constant lifetime (codes wandering around 60)
        int[] flat = lifetimes(14, 60, 0);
        for (int i = 6; i < 20; i += 2) {
            flat[i] = 61;
        }
        assertEquals(Verdict.LIFETIME_NOT_RISING, heapRise(flat).verdict());
    }

    @Test
    void shouldFlagAHeapRiseWhoseObjectLifetimeGrowsWithIt() {
        assertEquals(Verdict.GROWING, heapRise(lifetimes(14, 60, 1)).verdict(), "objects that never die");
    }

    @Test
    void shouldLeaveTheVerdictAloneWhenTooFewLifetimesAreKnown() {
        // 7 known lifetimes (fewer than minCaptures), flat: a rate from too few sampled objects is not evidence
        assertEquals(Verdict.GROWING, heapRise(lifetimes(7, 60, 0)).verdict());
        assertEquals(Verdict.GROWING, heapRise(null).verdict());
    }

    @Test
    void shouldNotApplyTheLifetimeGuardToGoroutines() {
        long[] t = times(20, 3000);
        long[] v = shape(6, 14, 5, 0);
        assertEquals(Verdict.GROWING,
                ANALYZER.judge(t, v, SuspectKind.GOROUTINE, 1, 200, 0, t[5], -1, lifetimes(14, 60, 0)).verdict());
    }

    @Test
    void shouldTellAQuietStretchFromTheSamplingDelayOfAHeapSite() {
        long[] t = times(30, 3000);
        // 1 MiB per 3 s after 30 s at zero: a 512 KiB-sampled site growing from the start would have shown
        // 10 samples per 3 s, so 30 s of nothing is no sampling accident
        long[] late = shape(10, 20, 1024 * 1024, 0);
        assertEquals(Verdict.GROWING,
                ANALYZER.judge(t, late, SuspectKind.HEAP, PERIOD, 100_000_000, 0, t[9]).verdict());
        // 128 KiB per 3 s: growing since the start, a 512 KiB-sampled site would expect 2.25 samples in 27 s,
        // and shows at most one with probability e^-2.25 (1 + 2.25) = 0.34, so 27 s at zero proves nothing —
        // it may be a cache filling since the start
        long[] slow = shape(10, 20, 128 * 1024, 0);
        assertEquals(Verdict.WARMING_UP,
                ANALYZER.judge(t, slow, SuspectKind.HEAP, PERIOD, 10_000_000, 0, t[9]).verdict());
    }

    @Test
    void shouldOnlyRuleOutSeriesTheFullJudgementRejects() {
        // leaks, plateaus, sawtooth batches and noise with seeded randomness: the quick check may only say
        // "cannot grow" where judge says so too, and must say it for most of what does not grow
        java.util.Random random = new java.util.Random(7);
        int growing = 0;
        int ruledOut = 0;
        int rejected = 0;
        for (int round = 0; round < 4000; round++) {
            int n = 4 + random.nextInt(45);
            long[] t = times(n, 1000 + random.nextInt(30_000));
            long[] v = new long[n];
            long level = random.nextInt(1000) * PERIOD / 8;
            long drift = random.nextInt(3) == 0 ? 0 : random.nextInt(4) * PERIOD;
            for (int i = 0; i < n; i++) {
                long noise = (long) (random.nextGaussian() * PERIOD * random.nextInt(3));
                long batch = round % 5 == 0 && i % 6 < 3 ? 8 * PERIOD : 0;
                v[i] = Math.max(0, level + drift * i + noise + batch);
            }
            SiteJudgement j = ANALYZER.judge(t, v, SuspectKind.HEAP, PERIOD, 50_000_000, 0, t[0]);
            boolean may = ANALYZER.mayBeGrowing(t, v);
            if (j.growing()) {
                growing++;
                assertTrue(may, "ruled out a growing series: " + Arrays.toString(v));
            } else {
                rejected++;
                ruledOut += may ? 0 : 1;
            }
        }
        assertTrue(growing > 100, "the generated series include growth: " + growing);
        assertTrue(ruledOut > rejected / 2, "ruled out " + ruledOut + " of " + rejected + " rejected series");
    }
}
