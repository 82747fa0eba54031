package dev.leakwatch.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.schemas.avro.LeakSuspect;
import dev.leakwatch.schemas.avro.StackFrame;
import dev.leakwatch.schemas.avro.SuspectKind;
import dev.leakwatch.schemas.avro.SuspectStatus;
import org.junit.jupiter.api.Test;

/** The one-line rendering of a suspect event: every field a reader needs, in readable units. */
class SuspectLineTest {

  private static LeakSuspect.Builder heap() {
    return SampleSuspects.heap("session-store", SuspectStatus.OPEN);
  }

  @Test
  void shouldPrintTimeStatusServiceKindSiteRateInstancesAndOomOnOneLine() {
    String line = SuspectLine.format(heap().build());
    assertEquals(1, line.lines().count());
    assertTrue(line.startsWith("2026-11-26T07:11:40Z OPEN "), line);
    assertTrue(line.contains(" session-store HEAP "), line);
    assertTrue(line.contains("session.(*Store).Remember (session/store.go:87)"), line);
    assertTrue(line.contains("+1.5 MiB/hour"), line);
    assertTrue(line.contains("now 3 MiB"), line);
    assertTrue(line.contains("instances replica-0,replica-1"), line);
    assertTrue(line.contains("OOM at 2026-11-26T09:00:00Z (limit 256 MiB)"), line);
  }

  @Test
  void shouldSayWhyThereIsNoOomProjection() {
    assertTrue(SuspectLine.format(heap().setProjectedExhaustion(null).setMemoryLimitBytes(null).build())
        .endsWith("OOM n/a (no memory limit known)"));
    assertTrue(SuspectLine.format(heap().setProjectedExhaustion(null).build()).endsWith("no OOM projected"));
  }

  @Test
  void shouldShowGoroutineCountsAndWhatTheyWaitOn() {
    String line = SuspectLine.format(heap().setKind(SuspectKind.GOROUTINE).setWaitReason("chan send")
        .setGrowthRate(520).setGrowthUnit("goroutines/hour").setCurrentValue(111).setValueUnit("goroutines")
        .setProjectedExhaustion(null).setMemoryLimitBytes(null).build());
    assertTrue(line.contains(" GOROUTINE "), line);
    assertTrue(line.contains("[chan send] +520 goroutines/hour now 111 goroutines"), line);
    assertTrue(line.endsWith("OOM n/a (no memory limit known)"), line);
  }

  @Test
  void shouldShowTheProjectedOomOfAGoroutineSuspect() {
    // goroutine suspects project exhaustion too (their stacks' memory, with the instance's heap growth)
    String line = SuspectLine.format(heap().setKind(SuspectKind.GOROUTINE).setWaitReason("chan send")
        .setGrowthRate(520).setGrowthUnit("goroutines/hour").setCurrentValue(111).setValueUnit("goroutines")
        .build());
    assertTrue(line.endsWith("OOM at 2026-11-26T09:00:00Z (limit 256 MiB)"), line);
  }

  @Test
  void shouldScaleBytesToBinaryUnits() {
    assertEquals("512 B", Amounts.bytes(512));
    assertEquals("1 KiB", Amounts.bytes(1024));
    assertEquals("1.5 GiB", Amounts.bytes(1.5 * (1L << 30)));
    assertEquals("582 MiB/hour", Amounts.format(582.0 * (1 << 20), "bytes/hour"));
    assertEquals("7 goroutines", Amounts.format(7, "goroutines"));
  }

  @Test
  void shouldPrintAFunctionWithoutFileAsIs() {
    assertEquals("main.main", SuspectLine.site(StackFrame.newBuilder().setFunction("main.main").build()));
  }
}
