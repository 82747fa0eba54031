package dev.leakwatch.topology;

import dev.leakwatch.detect.SiteFrame;
import dev.leakwatch.detect.lifecycle.SuspectEvent;
import dev.leakwatch.schemas.avro.EvidencePoint;
import dev.leakwatch.schemas.avro.LeakSuspect;
import dev.leakwatch.schemas.avro.StackFrame;
import dev.leakwatch.schemas.avro.SuspectKind;
import dev.leakwatch.schemas.avro.SuspectStatus;
import java.time.Instant;
import java.util.List;

/** Maps detection's {@link SuspectEvent} to the Avro {@link LeakSuspect} published on the suspects topic. */
public final class SuspectEventMapper {

  private SuspectEventMapper() {}

  /** The Avro record of an event: one field each, same names, units and time semantics. */
  public static LeakSuspect toAvro(SuspectEvent e) {
    return LeakSuspect.newBuilder()
        .setSuspectId(e.suspectId())
        .setService(e.service())
        .setInstances(List.copyOf(e.instances()))
        .setKind(SuspectKind.valueOf(e.kind().name()))
        .setStatus(SuspectStatus.valueOf(e.status().name()))
        .setSite(frame(e.site()))
        .setStack(e.stack().stream().map(SuspectEventMapper::frame).toList())
        .setWaitReason(e.waitReason() == null ? null : e.waitReason().label())
        .setGrowthRate(e.growthRatePerHour())
        .setGrowthUnit(e.growthUnit())
        .setCurrentValue(e.currentValue())
        .setValueUnit(e.valueUnit())
        .setFirstGrowthSeen(Instant.ofEpochMilli(e.firstGrowthSeenMs()))
        .setDetectedAt(Instant.ofEpochMilli(e.detectedAtMs()))
        .setStatistic(e.statistic())
        .setStatisticValue(e.statisticValue())
        .setConfidence(e.confidence())
        .setEvidence(e.evidence().stream()
            .map(p -> new EvidencePoint(p.instance(), Instant.ofEpochMilli(p.timeMs()), p.value()))
            .toList())
        .setProjectedExhaustion(
            e.projectedExhaustionMs() == null ? null : Instant.ofEpochMilli(e.projectedExhaustionMs()))
        .setMemoryLimitBytes(e.memoryLimitBytes())
        .setRelatedSuspects(List.copyOf(e.relatedSuspects()))
        .build();
  }

  private static StackFrame frame(SiteFrame f) {
    return new StackFrame(f.function(), f.file(), f.line());
  }
}
