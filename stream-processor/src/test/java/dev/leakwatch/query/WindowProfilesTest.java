package dev.leakwatch.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leakwatch.detect.SiteFrame;
import dev.leakwatch.pprof.DecodeLimits;
import dev.leakwatch.pprof.Profile;
import dev.leakwatch.pprof.ProfileDecoder;
import dev.leakwatch.pprof.ProfileDiff;
import dev.leakwatch.pprof.ProfileWriter;
import dev.leakwatch.pprof.Sample;
import dev.leakwatch.pprof.ValueType;
import dev.leakwatch.pprof.testing.ProfileProtoRules;
import dev.leakwatch.topology.window.ServiceWindow;
import dev.leakwatch.topology.window.StackValues;
import dev.leakwatch.topology.window.WindowContribution;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A profile built from windows reads back through the codec with Go's sample types and the sums per stack. */
class WindowProfilesTest {

  private static final List<SiteFrame> LEAK = List.of(new SiteFrame("pkg.leak", "leak.go", 10),
      new SiteFrame("main.main", "main.go", 3));
  private static final List<SiteFrame> CHURN = List.of(new SiteFrame("pkg.churn", "churn.go", 7),
      new SiteFrame("main.main", "main.go", 4));

  @Test
  void shouldWriteGoHeapSampleTypesWithOneSamplePerStackSharingFunctions() {
    ServiceWindow w = new ServiceWindow();
    w.add(new WindowContribution("a", false, 1, List.of(StackValues.heap(11, 1000, 10, 5000, 50),
        StackValues.heap(22, 0, 0, 0, 0), StackValues.heap(33, 200, 2, 9000, 90)), Map.of()), 100);
    StackTotals t = new StackTotals();
    t.add(w);
    Profile p = ProfileDecoder.decode(ProfileWriter.write(WindowProfiles.build("svc", Section.HEAP, t,
        Map.of(11L, LEAK, 22L, LEAK, 33L, CHURN), new TimeRange(60_000, 120_000))), DecodeLimits.defaults());
    assertEquals(List.of(new ValueType("alloc_objects", "count"), new ValueType("alloc_space", "bytes"),
        new ValueType("inuse_objects", "count"), new ValueType("inuse_space", "bytes")), p.sampleTypes());
    assertEquals("inuse_space", p.sampleTypes().get(p.defaultSampleIndex()).type());
    assertEquals(2, p.samples().size(), "the all-zero stack is left out");
    Sample leak = p.samples().get(0);
    assertEquals("pkg.leak", leak.stack().get(0).function());
    assertEquals(10, leak.stack().get(0).line());
    assertEquals(List.of(50L, 5000L, 10L, 1000L), List.of(leak.value(0), leak.value(1), leak.value(2), leak.value(3)));
    assertEquals(3, p.functions().size(), "main.main is one function at two lines");
    assertEquals(4, p.locations().size());
    assertEquals(60_000_000_000L, p.timeNanos());
    assertEquals(60_000_000_000L, p.durationNanos());
  }

  @Test
  void shouldWriteGoroutineProfilesWithTheGoroutineCount() {
    ServiceWindow w = new ServiceWindow();
    w.add(new WindowContribution("a", true, 1, List.of(StackValues.goroutine(5, 40)), Map.of()), 100);
    w.add(new WindowContribution("b", true, 1, List.of(StackValues.goroutine(5, 2)), Map.of()), 100);
    StackTotals t = new StackTotals();
    t.add(w);
    Profile p = ProfileDecoder.decode(ProfileWriter.write(WindowProfiles.build("svc", Section.GOROUTINE, t,
        Map.of(5L, LEAK), new TimeRange(0, 5_000))), DecodeLimits.defaults());
    assertEquals(List.of(new ValueType("goroutine", "count")), p.sampleTypes());
    assertEquals(42, p.totalValue(0));
    assertEquals(List.of("leakwatch: service svc, goroutine, windows [1970-01-01T00:00:00Z, "
        + "1970-01-01T00:00:05Z), 2 captures of 2 instances"), p.comments());
  }

  @Test
  void shouldCountOneCaptureOfOneInstanceInTheSingular() {
    ServiceWindow w = new ServiceWindow();
    w.add(new WindowContribution("a", true, 1, List.of(StackValues.goroutine(5, 40)), Map.of()), 100);
    StackTotals t = new StackTotals();
    t.add(w);
    Profile p = ProfileDecoder.decode(ProfileWriter.write(WindowProfiles.build("svc", Section.GOROUTINE, t,
        Map.of(5L, LEAK), new TimeRange(0, 5_000))), DecodeLimits.defaults());
    assertEquals(List.of("leakwatch: service svc, goroutine, windows [1970-01-01T00:00:00Z, "
        + "1970-01-01T00:00:05Z), 1 capture of 1 instance"), p.comments());
  }

  @Test
  void shouldExportMergedAndDiffProfilesThatHoldToProfileProtosRules() {
    ServiceWindow before = new ServiceWindow();
    before.add(new WindowContribution("a", false, 1, List.of(StackValues.heap(11, 1000, 10, 5000, 50),
        StackValues.heap(33, 200, 2, 9000, 90)), Map.of()), 100);
    ServiceWindow after = new ServiceWindow();
    after.add(new WindowContribution("a", false, 1, List.of(StackValues.heap(11, 3000, 30, 9000, 90),
        StackValues.heap(44, 100, 1, 100, 1)), Map.of()), 100);
    Map<Long, List<SiteFrame>> frames =
        Map.of(11L, LEAK, 33L, CHURN, 44L, List.of(new SiteFrame("pkg.new", "new.go", 1)));
    Profile base = heapOf(before, frames, new TimeRange(0, 60_000));
    Profile target = heapOf(after, frames, new TimeRange(60_000, 120_000));

    ProfileProtoRules.assertHolds(ProfileWriter.write(target));
    ProfileProtoRules.assertHolds(ProfileWriter.write(ProfileDiff.diff(base, target)));
  }

  private static Profile heapOf(ServiceWindow w, Map<Long, List<SiteFrame>> frames, TimeRange range) {
    StackTotals t = new StackTotals();
    t.add(w);
    return WindowProfiles.build("svc", Section.HEAP, t, frames, range);
  }
}
