package dev.leakwatch.detect.growth;

import dev.leakwatch.detect.EvidencePoint;
import dev.leakwatch.detect.Site;
import java.util.List;
import java.util.Objects;

/**
 * A site that grows on one instance, as judged at one capture.
 *
 * @param site          the site (kind, blamed frame, full stack, wait reason); never null
 * @param slopePerHour  Theil–Sen slope over the window, in the kind's growth unit (bytes/hour, goroutines/hour)
 * @param currentValue  the site's value at the judged capture (bytes or goroutines)
 * @param statistic     name of the trend test: {@code mann-kendall}, or {@code goroutineleak-profile} for
 *                      samples of Go's goroutineleak profile
 * @param zScore        the trend test's statistic (Mann-Kendall Z)
 * @param confidence    0..1, this instance alone
 * @param firstGrowthMs capture time at which the rise began, as far as the window shows
 * @param evidence      recent points behind the verdict, oldest first
 */
public record GrowthFinding(Site site, double slopePerHour, long currentValue, String statistic, double zScore,
        double confidence, long firstGrowthMs, List<EvidencePoint> evidence) {
    /** Name of the trend statistic used for series verdicts. */
    public static final String MANN_KENDALL = "mann-kendall";
    /** Name used for goroutineleak profile samples (leaks by construction). */
    public static final String GOROUTINE_LEAK_PROFILE = "goroutineleak-profile";

    public GrowthFinding {
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(statistic, "statistic");
        evidence = List.copyOf(evidence);
        if (confidence < 0 || confidence > 1) {
            throw new IllegalArgumentException("confidence outside [0, 1]: " + confidence);
        }
    }
}
