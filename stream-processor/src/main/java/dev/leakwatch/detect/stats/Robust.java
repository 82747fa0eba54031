package dev.leakwatch.detect.stats;

import java.util.Arrays;

/** Order statistics used by the detectors. */
public final class Robust {
    private Robust() {
    }

    /** Median of the first {@code n} values (mean of the two middle ones for even n); NaN when n = 0. */
    public static double median(double[] values, int n) {
        if (n == 0) {
            return Double.NaN;
        }
        double[] v = Arrays.copyOf(values, n);
        Arrays.sort(v);
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
    }

    /** Median of {@code values[from, to)}. */
    public static double median(double[] values, int from, int to) {
        return median(Arrays.copyOfRange(values, from, to), to - from);
    }

    /** Minimum of {@code values[from, to)}; +∞ when empty. */
    public static double min(double[] values, int from, int to) {
        double m = Double.POSITIVE_INFINITY;
        for (int i = from; i < to; i++) {
            m = Math.min(m, values[i]);
        }
        return m;
    }

    /** Maximum of {@code values[from, to)}; −∞ when empty. */
    public static double max(double[] values, int from, int to) {
        double m = Double.NEGATIVE_INFINITY;
        for (int i = from; i < to; i++) {
            m = Math.max(m, values[i]);
        }
        return m;
    }
}
