package dev.leakwatch.detect.lifecycle;

import dev.leakwatch.detect.EvidencePoint;
import dev.leakwatch.detect.ProfileKind;
import java.util.List;

/**
 * What one instance last reported about one suspect.
 *
 * @param source        profile kind whose reports maintain this entry (goroutine and goroutineleak
 *                      profiles can both report a goroutine site)
 * @param growing       whether the instance's latest report of that kind listed the site as growing, or a
 *                      later one that did not began no new series and came less than {@code updateInterval}
 *                      after the last one that did (a guard holding a leaking instance back for a while)
 * @param slopePerHour  latest slope
 * @param currentValue  latest value
 * @param statistic     trend statistic name
 * @param zScore        latest statistic value
 * @param confidence    latest per-instance confidence
 * @param lastGrowthMs  capture time of the latest report that listed the site as growing
 * @param evidence      latest evidence points; empty when the suspect keeps those of other instances
 */
public record InstanceGrowth(ProfileKind source, boolean growing, double slopePerHour, long currentValue,
        String statistic, double zScore, double confidence, long lastGrowthMs, List<EvidencePoint> evidence) {
    public InstanceGrowth {
        evidence = List.copyOf(evidence);
    }

    /** The same entry without its evidence points (see {@link SuspectState#MAX_EVIDENCE_INSTANCES}). */
    InstanceGrowth withoutEvidence() {
        return new InstanceGrowth(source, growing, slopePerHour, currentValue, statistic, zScore, confidence,
                lastGrowthMs, List.of());
    }

    InstanceGrowth stopped() {
        return new InstanceGrowth(source, false, slopePerHour, currentValue, statistic, zScore, confidence,
                lastGrowthMs, evidence);
    }
}
