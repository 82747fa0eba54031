package dev.leakwatch.detect.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Expected values are worked out by hand from the textbook definitions (shown in each test). */
class MannKendallTest {

    @Test
    void shouldScoreAStrictlyRisingSeriesWithTheUntiedVariance() {
        // n = 5: all 10 pairs rise, S = 10; Var = 5*4*15/18 = 16.6667; Z = (10-1)/sqrt(16.6667) = 2.20454
        MannKendall.Result r = MannKendall.test(new double[] {1, 2, 3, 4, 5});
        assertEquals(10, r.s());
        assertEquals(16.666667, r.variance(), 1e-6);
        assertEquals(2.204541, r.z(), 1e-6);
    }

    @Test
    void shouldCorrectTheVarianceForTiedValues() {
        // pairs of [1,2,2,3]: (1,2)+ (1,2)+ (1,3)+ (2,2)0 (2,3)+ (2,3)+ -> S = 5
        // one tie group of t = 2: Var = (4*3*13 - 2*1*9)/18 = 138/18 = 7.6667; Z = 4/sqrt(7.6667) = 1.44463
        MannKendall.Result r = MannKendall.test(new double[] {1, 2, 2, 3});
        assertEquals(5, r.s());
        assertEquals(7.666667, r.variance(), 1e-6);
        assertEquals(1.444630, r.z(), 1e-6);
    }

    @Test
    void shouldGiveANegativeScoreToAFallingSeries() {
        // [3,1,2]: (3,1)- (3,2)- (1,2)+ -> S = -1; Var = 3*2*11/18 = 3.6667; Z = (S+1)/sqrt(Var) = 0
        // [4,3,2,1]: S = -6; Var = 4*3*13/18 = 8.6667; Z = -5/sqrt(8.6667) = -1.69842
        assertEquals(0.0, MannKendall.test(new double[] {3, 1, 2}).z(), 1e-12);
        assertEquals(-1.698416, MannKendall.test(new double[] {4, 3, 2, 1}).z(), 1e-6);
    }

    @Test
    void shouldReportNoTrendWhenEveryValueIsTied() {
        // Var = (3*2*11 - 3*2*11)/18 = 0: no information, Z = 0 rather than a division by zero
        MannKendall.Result r = MannKendall.test(new double[] {7, 7, 7});
        assertEquals(0, r.s());
        assertEquals(0.0, r.variance(), 0.0);
        assertEquals(0.0, r.z(), 0.0);
    }
}
