package dev.leakwatch.detect.stats;

/** Poisson distribution helpers. */
public final class Poisson {
    private Poisson() {
    }

    /**
     * P(N ≤ k) for N ~ Poisson(λ): the sum of {@code e^−λ λ^i / i!} for i = 0..k, accumulated term by term
     * in log space so that large λ neither overflows nor underflows early.
     *
     * @param lambda mean, ≥ 0
     * @param k      count, ≥ 0
     */
    public static double cdf(int k, double lambda) {
        if (lambda < 0 || k < 0) {
            throw new IllegalArgumentException("need lambda >= 0 and k >= 0, got " + lambda + ", " + k);
        }
        if (lambda == 0) {
            return 1.0;
        }
        double logTerm = -lambda; // log of the i = 0 term
        double sum = Math.exp(logTerm);
        for (int i = 1; i <= k; i++) {
            logTerm += Math.log(lambda) - Math.log(i);
            sum += Math.exp(logTerm);
        }
        return Math.min(1.0, sum);
    }
}
