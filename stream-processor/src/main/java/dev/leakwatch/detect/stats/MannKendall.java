package dev.leakwatch.detect.stats;

import java.util.Arrays;

/**
 * The Mann-Kendall trend test: a rank test for a monotonic trend that makes no assumption about the
 * noise distribution and is insensitive to the size of outliers (only signs of differences count).
 *
 * <p>{@code S = Σ_{i<j} sign(x_j − x_i)}; its variance under the no-trend hypothesis, corrected for
 * groups of tied values of size t, is {@code [n(n−1)(2n+5) − Σ t(t−1)(2t+5)] / 18}; the normal score
 * uses a continuity correction: {@code Z = (S−1)/√Var} for S &gt; 0, {@code (S+1)/√Var} for S &lt; 0,
 * 0 otherwise. Cost O(n²); intended for windows of at most a few hundred points.
 */
public final class MannKendall {
    private MannKendall() {
    }

    /**
     * @param s        the statistic S
     * @param variance Var(S) with the tie correction
     * @param z        normal score (positive = rising); 0 when the variance is 0 (all values tied)
     * @param n        number of values
     */
    public record Result(long s, double variance, double z, int n) {
    }

    /** Tests {@code values} in time order. Values must be finite. */
    public static Result test(double[] values) {
        int n = values.length;
        long s = 0;
        for (int i = 0; i < n; i++) {
            double xi = values[i];
            for (int j = i + 1; j < n; j++) {
                s += Double.compare(values[j], xi) > 0 ? 1 : (values[j] == xi ? 0 : -1);
            }
        }
        double variance = (n * (n - 1.0) * (2.0 * n + 5.0) - tieTerm(values)) / 18.0;
        double z;
        if (variance <= 0 || s == 0) {
            z = 0;
        } else if (s > 0) {
            z = (s - 1) / Math.sqrt(variance);
        } else {
            z = (s + 1) / Math.sqrt(variance);
        }
        return new Result(s, variance, z, n);
    }

    /** Σ t(t−1)(2t+5) over groups of equal values. */
    private static double tieTerm(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double sum = 0;
        int i = 0;
        while (i < sorted.length) {
            int j = i;
            while (j + 1 < sorted.length && sorted[j + 1] == sorted[i]) {
                j++;
            }
            double t = j - i + 1.0;
            sum += t * (t - 1) * (2 * t + 5);
            i = j + 1;
        }
        return sum;
    }
}
