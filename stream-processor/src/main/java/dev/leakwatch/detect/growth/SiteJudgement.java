package dev.leakwatch.detect.growth;

/**
 * The statistics behind a {@link Verdict} for one site's series.
 *
 * @param verdict          growing, or the guard that rejected the series
 * @param zScore           Mann-Kendall Z of the series (NaN when not computed)
 * @param slopePerHour     Theil–Sen slope per hour (NaN when not computed)
 * @param firstGrowthIndex index in the judged series where the rise began (-1 when not growing)
 */
public record SiteJudgement(Verdict verdict, double zScore, double slopePerHour, int firstGrowthIndex) {
    static SiteJudgement rejected(Verdict v, double z, double slope) {
        return new SiteJudgement(v, z, slope, -1);
    }

    public boolean growing() {
        return verdict == Verdict.GROWING;
    }
}
