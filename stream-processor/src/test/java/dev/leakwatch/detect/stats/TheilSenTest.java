package dev.leakwatch.detect.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Expected slopes are the medians of the pairwise slopes, listed by hand in each test. */
class TheilSenTest {

    @Test
    void shouldTakeTheMedianOfPairwiseSlopes() {
        // points (0,0) (1,1) (2,2) (3,10): slopes 1, 1, 10/3, 1, 4, 8 -> sorted 1 1 1 3.333 4 8 -> (1+3.333)/2
        double slope = TheilSen.slope(new double[] {0, 1, 2, 3}, new double[] {0, 1, 2, 10});
        assertEquals((1 + 10.0 / 3) / 2, slope, 1e-12);
    }

    @Test
    void shouldIgnoreASingleOutlier() {
        // y = 2t except a spike at t=2. The 6 pairs without the spike have slope 2; with it: 50, 98, -94, -46.
        // Sorted: -94 -46 2 2 2 2 2 2 50 98 -> median (2+2)/2 = 2
        double slope = TheilSen.slope(new double[] {0, 1, 2, 3, 4}, new double[] {0, 2, 100, 6, 8});
        assertEquals(2.0, slope, 1e-12);
        // a spike at the end: six slopes of 2, then 25, 32.67, 48, 94 -> the 5th and 6th are 2
        assertEquals(2.0, TheilSen.slope(new double[] {0, 1, 2, 3, 4}, new double[] {0, 2, 4, 6, 100}), 1e-12);
    }

    @Test
    void shouldSkipPairsWithEqualTimes() {
        // (0,0) (0,5) (1,1): the (0,0)-(0,5) pair has no slope; remaining slopes 1 and -4 -> median -1.5
        assertEquals(-1.5, TheilSen.slope(new double[] {0, 0, 1}, new double[] {0, 5, 1}), 1e-12);
        assertEquals(0.0, TheilSen.slope(new double[] {3, 3}, new double[] {1, 9}), 0.0);
    }

    @Test
    void shouldRejectMismatchedLengths() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TheilSen.slope(new double[] {0, 1}, new double[] {0}));
        assertEquals("t and y differ in length: 2 vs 1", e.getMessage());
    }
}
