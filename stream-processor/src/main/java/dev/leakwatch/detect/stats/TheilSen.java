package dev.leakwatch.detect.stats;

/**
 * The Theil–Sen slope estimator: the median of the slopes of all pairs of points. Robust: up to ~29 % of
 * the points can be arbitrary outliers (a GC-timing spike, one sampled object) without moving it much.
 * Cost O(n²).
 */
public final class TheilSen {
    private TheilSen() {
    }

    /**
     * Median slope {@code (y_j − y_i) / (t_j − t_i)} over pairs {@code i < j} with distinct times.
     *
     * @param t times, any unit, in non-decreasing order
     * @param y values, same length as {@code t}
     * @return the slope in y-units per t-unit; 0 when no pair has distinct times
     */
    public static double slope(double[] t, double[] y) {
        if (t.length != y.length) {
            throw new IllegalArgumentException("t and y differ in length: " + t.length + " vs " + y.length);
        }
        int n = t.length;
        double[] slopes = new double[n * (n - 1) / 2];
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double dt = t[j] - t[i];
                if (dt != 0) {
                    slopes[k++] = (y[j] - y[i]) / dt;
                }
            }
        }
        return k == 0 ? 0 : Robust.median(slopes, k);
    }
}
