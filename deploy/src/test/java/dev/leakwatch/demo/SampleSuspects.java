package dev.leakwatch.demo;

import dev.leakwatch.schemas.avro.LeakSuspect;
import dev.leakwatch.schemas.avro.StackFrame;
import dev.leakwatch.schemas.avro.SuspectKind;
import dev.leakwatch.schemas.avro.SuspectStatus;
import java.time.Instant;
import java.util.List;

/** Leak-suspect events for tests of their rendering and transport (our own Avro records, not profiles). */
public final class SampleSuspects {

  public static final StackFrame SITE = StackFrame.newBuilder()
      .setFunction("leakwatch.dev/goleaker/internal/session.(*Store).Remember")
      .setFile("/src/goleaker/internal/session/store.go").setLine(87).build();

  private SampleSuspects() {}

  /** A heap suspect of {@code service}: 1.5 MiB/hour, 3 MiB now, 256 MiB limit, OOM projected. */
  public static LeakSuspect.Builder heap(String service, SuspectStatus status) {
    return LeakSuspect.newBuilder()
        .setSuspectId(service + "-1").setService(service).setInstances(List.of("replica-0", "replica-1"))
        .setKind(SuspectKind.HEAP).setStatus(status).setSite(SITE).setStack(List.of(SITE))
        .setWaitReason(null)
        .setGrowthRate(1.5 * 1024 * 1024).setGrowthUnit("bytes/hour")
        .setCurrentValue(3 * 1024 * 1024).setValueUnit("bytes")
        .setFirstGrowthSeen(Instant.parse("2026-11-26T07:11:20Z"))
        .setDetectedAt(Instant.parse("2026-11-26T07:11:40.750Z"))
        .setStatistic("mann-kendall").setStatisticValue(4.2).setConfidence(0.99).setEvidence(List.of())
        .setProjectedExhaustion(Instant.parse("2026-11-26T09:00:00.400Z")).setMemoryLimitBytes(256L << 20);
  }
}
