package dev.leakwatch.detect.lifecycle;

import dev.leakwatch.detect.EvidencePoint;
import dev.leakwatch.detect.SiteFrame;
import dev.leakwatch.detect.SuspectKind;
import dev.leakwatch.detect.SuspectStatus;
import dev.leakwatch.detect.WaitReason;
import java.util.List;
import java.util.Objects;

/**
 * A suspect lifecycle event, carrying everything the Avro {@code LeakSuspect} record needs (one field each,
 * same names and units).
 *
 * @param suspectId             stable id: {@link SuspectIds#of} of service, kind and site stack
 * @param service               service name
 * @param instances             instances on which the site grows (for RESOLVED: grew last), sorted
 * @param kind                  heap or goroutine
 * @param status                OPEN, UPDATED or RESOLVED
 * @param site                  the blamed frame
 * @param stack                 full stack, leaf first (at most {@code maxReportedFrames} frames)
 * @param waitReason            goroutines only: what they wait on; null for heap
 * @param growthRatePerHour     summed over the listed instances, in {@link #growthUnit()}
 * @param growthUnit            {@code bytes/hour} or {@code goroutines/hour}
 * @param currentValue          latest value at the site, summed over the listed instances
 * @param valueUnit             {@code bytes} or {@code goroutines}
 * @param firstGrowthSeenMs     earliest capture time at which the rise began on any instance
 * @param detectedAtMs          capture time of the profile that triggered this event (event time)
 * @param statistic             trend test name, e.g. {@code mann-kendall}
 * @param statisticValue        the strongest instance's statistic (Mann-Kendall Z)
 * @param confidence            0..1, combined over instances: {@code 1 − Π(1 − c_i)}
 * @param evidence              recent points per instance, grouped by instance (sorted), oldest first
 * @param projectedExhaustionMs earliest time, over the instances this suspect grows on, that an instance's memory
 *                              reaches its limit at the growth of every suspect growing there (heap bytes, and
 *                              goroutines at {@link ExhaustionProjection#GOROUTINE_STACK_BYTES} each), counted
 *                              from its in-use heap; null when no limit or heap is known, nothing grows, or the
 *                              suspect is resolved
 * @param memoryLimitBytes      the limit behind the projection; null when none
 * @param relatedSuspects       ids of the open suspects of the other kind in the same service that are probably
 *                              the same bug ({@link SuspectRelations}), sorted; empty when none, never null
 */
public record SuspectEvent(String suspectId, String service, List<String> instances, SuspectKind kind,
        SuspectStatus status, SiteFrame site, List<SiteFrame> stack, WaitReason waitReason,
        double growthRatePerHour, String growthUnit, double currentValue, String valueUnit,
        long firstGrowthSeenMs, long detectedAtMs, String statistic, double statisticValue, double confidence,
        List<EvidencePoint> evidence, Long projectedExhaustionMs, Long memoryLimitBytes,
        List<String> relatedSuspects) {
    public SuspectEvent {
        Objects.requireNonNull(suspectId, "suspectId");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(growthUnit, "growthUnit");
        Objects.requireNonNull(valueUnit, "valueUnit");
        Objects.requireNonNull(statistic, "statistic");
        instances = List.copyOf(instances);
        stack = List.copyOf(stack);
        evidence = List.copyOf(evidence);
        relatedSuspects = List.copyOf(relatedSuspects);
    }
}
