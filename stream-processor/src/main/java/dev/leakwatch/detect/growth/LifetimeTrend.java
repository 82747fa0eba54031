package dev.leakwatch.detect.growth;

import dev.leakwatch.detect.stats.MannKendall;

/**
 * Guard 10, heap sites only: the site's mean object lifetime (in-use bytes over allocation rate, Little's law;
 * {@link dev.leakwatch.detect.series.TrackedSite#knownLifetimes()}) must rise over the window too. Memory
 * that grows with load — a buffer per in-flight request while traffic ramps up — keeps a constant lifetime
 * whatever the load, while a leak's objects never die, so its lifetime grows with the leak's age, even when
 * the leak itself is proportional to a ramping load.
 *
 * <p>Applies only where the lifetime is known at {@code minCaptures} captures or more (a rate measured from
 * enough sampled allocations); otherwise it changes nothing. Stateless.
 */
final class LifetimeTrend {
    /**
     * Mann-Kendall Z the lifetimes must reach (one-sided ≈ 2.3 %). Below {@code minTrendZ} on purpose: this
     * guard can only withhold a report, so it asks for the lifetime not to be flat rather than for a second
     * proof of growth. On the recordings (docs/DETECTION.md section 7) a ramp's buffers stayed within
     * −2.7…1.5 at every capture, while the leaks whose rate is known stayed at 2.5 or above at every report.
     */
    static final double MIN_LIFETIME_TREND_Z = 2.0;

    private LifetimeTrend() {
    }

    /**
     * @param codes       lifetime codes aligned with the judged values (0: unknown), or null when none are kept
     * @param minCaptures the fewest known lifetimes for the guard to apply
     * @return false only when enough lifetimes are known and show no upward trend
     */
    static boolean risingOrUnknown(int[] codes, int minCaptures) {
        if (codes == null) {
            return true;
        }
        int known = 0;
        for (int c : codes) {
            if (c != 0) {
                known++;
            }
        }
        if (known < minCaptures) {
            return true;
        }
        double[] y = new double[known];
        int k = 0;
        for (int c : codes) {
            if (c != 0) {
                y[k++] = c;
            }
        }
        return MannKendall.test(y).z() >= MIN_LIFETIME_TREND_Z;
    }
}
