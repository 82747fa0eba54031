package dev.leakwatch.detect.lifecycle;

import static dev.leakwatch.detect.lifecycle.Reports.MIN;
import static dev.leakwatch.detect.lifecycle.Reports.growing;
import static dev.leakwatch.detect.lifecycle.Reports.quiet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.detect.DetectionConfig;
import dev.leakwatch.detect.EvidencePoint;
import dev.leakwatch.detect.ProfileKind;
import dev.leakwatch.detect.Site;
import dev.leakwatch.detect.SuspectKind;
import dev.leakwatch.detect.SuspectStatus;
import dev.leakwatch.detect.Synthetic;
import dev.leakwatch.detect.growth.InstanceReport;
import dev.leakwatch.detect.series.SeriesUpdate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lifecycle with the default intervals: UPDATED ≥ 10 min apart, RESOLVED after 30 min quiet, gone after 15 min. */
class SuspectTrackerTest {
    private static final Site LEAK = Synthetic.heapSite("example.com/app.leak");
    private final SuspectTracker tracker = new SuspectTracker(DetectionConfig.defaults());
    private ServiceSuspects state;
    private final List<SuspectEvent> events = new ArrayList<>();

    private void feed(InstanceReport r) {
        state = Reports.feed(tracker, state, r, events);
    }

    private List<String> statusesAtMinutes() {
        return events.stream().map(e -> e.status() + "@" + e.detectedAtMs() / MIN).toList();
    }

    @Test
    void shouldOpenOnceAndUpdateNoMoreOftenThanTheUpdateInterval() {
        for (int m = 0; m <= 35; m++) {
            feed(growing("pod-1", m, LEAK, 1e8, 1_000_000 + m, 5, 0.8));
        }
        assertEquals(List.of("OPEN@0", "UPDATED@10", "UPDATED@20", "UPDATED@30"), statusesAtMinutes());
        SuspectEvent open = events.get(0);
        assertEquals(SuspectIds.of(Reports.SERVICE, LEAK), open.suspectId());
        assertEquals(List.of("pod-1"), open.instances());
        assertEquals(SuspectKind.HEAP, open.kind());
        assertEquals("example.com/app.leak", open.site().function());
        assertEquals("bytes/hour", open.growthUnit());
        assertEquals("bytes", open.valueUnit());
        assertEquals(-5 * MIN, open.firstGrowthSeenMs());
        assertNull(open.waitReason());
        assertNull(open.projectedExhaustionMs(), "no memory limit known");
    }

    @Test
    void shouldResolveOnlyAfterGrowthStoppedForTheResolveInterval() {
        for (int m = 0; m <= 5; m++) {
            feed(growing("pod-1", m, LEAK, 1e8, 1_000_000, 5, 0.8));
        }
        for (int m = 6; m <= 40; m++) {
            feed(quiet("pod-1", m, ProfileKind.HEAP));
        }
        assertEquals(List.of("OPEN@0", "RESOLVED@35"), statusesAtMinutes());
        assertEquals(List.of("pod-1"), events.get(1).instances());
        assertTrue(state.suspects().isEmpty());
    }

    @Test
    void shouldNotFlapWhenGrowthPausesForLessThanTheResolveInterval() {
        for (int m = 0; m <= 40; m++) {
            boolean pause = m >= 5 && m < 25;
            feed(pause ? quiet("pod-1", m, ProfileKind.HEAP) : growing("pod-1", m, LEAK, 1e8, 1_000_000, 5, 0.8));
        }
        assertEquals(List.of("OPEN@0", "UPDATED@25", "UPDATED@35"), statusesAtMinutes());
    }

    @Test
    void shouldResolveWhenTheOnlyGrowingInstanceIsGone() {
        feed(growing("pod-1", 0, LEAK, 1e8, 1_000_000, 5, 0.8));
        feed(quiet("pod-2", 1, ProfileKind.HEAP));
        for (int m = 2; m <= 15; m++) {
            feed(quiet("pod-2", m, ProfileKind.HEAP));
        }
        assertEquals(List.of("OPEN@0", "RESOLVED@15"), statusesAtMinutes(), "pod-1 silent for 15 min is gone");
        assertEquals(List.of("pod-1"), events.get(1).instances());
        assertTrue(!state.instances().containsKey("pod-1"));
    }

    @Test
    void shouldJudgeAnInstanceThatJoinsWithAnOlderCaptureThanItsSiblingsBySilenceSinceItArrived() {
        // pod-1 joins late with a capture 14 min older than its sibling's latest (its agent's clock
        // behind, or its partition read later): it is not gone for that, but once silent for 15 min of
        // stream time after it arrived (minute 20), by its own time.
        for (int m = 10; m <= 20; m++) {
            feed(quiet("pod-2", m, ProfileKind.HEAP));
        }
        feed(growing("pod-1", 6, LEAK, 1e8, 1_000_000, 5, 0.8));
        assertEquals(List.of("OPEN@6"), statusesAtMinutes());
        for (int m = 21; m <= 34; m++) {
            feed(quiet("pod-2", m, ProfileKind.HEAP));
        }
        assertEquals(List.of("OPEN@6"), statusesAtMinutes(), "pod-1 silent for 14 min only");
        feed(quiet("pod-2", 35, ProfileKind.HEAP));
        assertEquals(List.of("OPEN@6", "RESOLVED@35"), statusesAtMinutes(), "pod-1 silent since minute 20 is gone");
        assertEquals(List.of("pod-2"), List.copyOf(state.instances().keySet()));
    }

    @Test
    void shouldResolveFromThePassageOfStreamTimeAlone() {
        feed(growing("pod-1", 0, LEAK, 1e8, 1_000_000, 5, 0.8));
        TrackerStep early = tracker.onTime(state, 14 * MIN);
        assertEquals(List.of(), early.events());
        TrackerStep late = tracker.onTime(early.state(), 15 * MIN);
        assertEquals(1, late.events().size());
        assertEquals(SuspectStatus.RESOLVED, late.events().get(0).status());
        assertTrue(late.state().isEmpty(), "nothing left to store");
    }

    @Test
    void shouldNotEmitASecondOpenAfterTheStateIsReloaded() {
        for (int m = 0; m <= 12; m++) {
            feed(growing("pod-1", m, LEAK, 1e8, 1_000_000, 5, 0.8));
            state = ServiceSuspects.fromBytes(state.toBytes()); // what a processor restart does
        }
        assertEquals(List.of("OPEN@0", "UPDATED@10"), statusesAtMinutes());
    }

    @Test
    void shouldCombineInstancesThatGrowTheSameSite() {
        feed(growing("pod-2", 0, LEAK, 1e8, 1_000_000, 4, 0.6));
        feed(growing("pod-1", 1, LEAK, 3e8, 2_000_000, 6, 0.9));
        feed(growing("pod-2", 10, LEAK, 1e8, 1_000_000, 4, 0.6));
        SuspectEvent update = events.get(1);
        assertEquals(SuspectStatus.UPDATED, update.status());
        assertEquals(List.of("pod-1", "pod-2"), update.instances());
        assertEquals(4e8, update.growthRatePerHour(), 1e-3);
        assertEquals(3_000_000, update.currentValue(), 1e-9);
        assertEquals(6, update.statisticValue(), 1e-12, "the strongest instance's statistic");
        assertEquals(1 - (1 - 0.9) * (1 - 0.6), update.confidence(), 1e-12);
        assertTrue(update.confidence() > 0.9, "corroboration raises confidence above the best instance");
        assertEquals(2, update.evidence().size());
    }

    @Test
    void shouldKeepListingAnInstanceAGuardHoldsBackForLessThanTheUpdateInterval() {
        feed(growing("pod-1", 0, LEAK, 1e8, 1_000_000, 5, 0.8));
        feed(growing("pod-2", 1, LEAK, 3e8, 2_000_000, 6, 0.9));
        for (int m = 2; m <= 9; m++) {
            feed(quiet("pod-2", m, ProfileKind.HEAP)); // e.g. GROWTH_STOPPED after a flat stretch of samples
        }
        feed(growing("pod-1", 10, LEAK, 1e8, 1_000_000, 5, 0.8));
        SuspectEvent update = events.get(events.size() - 1);
        assertEquals(SuspectStatus.UPDATED, update.status());
        assertEquals(List.of("pod-1", "pod-2"), update.instances(), "pod-2 grew 9 min ago, since the OPEN");
        assertEquals(4e8, update.growthRatePerHour(), 1e-3, "with the rate it last grew at");
    }

    @Test
    void shouldStopListingAnInstanceHeldBackForTheUpdateIntervalOrRestarted() {
        feed(growing("pod-1", 0, LEAK, 1e8, 1_000_000, 5, 0.8));
        feed(growing("pod-2", 0, LEAK, 3e8, 2_000_000, 6, 0.9));
        feed(growing("pod-3", 0, LEAK, 2e8, 2_000_000, 6, 0.9));
        for (int m = 1; m <= 10; m++) {
            feed(quiet("pod-2", m, ProfileKind.HEAP)); // held back for 10 min: stopped growing
        }
        feed(new InstanceReport(Reports.SERVICE, "pod-3", ProfileKind.HEAP, 5 * MIN, null, 1_000,
                SeriesUpdate.RESTARTED, List.of())); // its process restarted: the leak starts again from zero
        feed(growing("pod-1", 11, LEAK, 1e8, 1_000_000, 5, 0.8));
        SuspectEvent update = events.get(events.size() - 1);
        assertEquals(SuspectStatus.UPDATED, update.status());
        assertEquals(List.of("pod-1"), update.instances());
        assertEquals(1e8, update.growthRatePerHour(), 1e-3);
    }

    @Test
    void shouldReportEveryGrowingInstanceButTheEvidenceOfTheSteepestOnly() {
        int pods = SuspectState.MAX_EVIDENCE_INSTANCES + 5;
        double rate = 0;
        for (int p = 1; p <= pods; p++) {
            feed(growing("pod-" + String.format("%02d", p), 0, LEAK, p * 1e6, 1_000, 5, 0.5));
            rate += p * 1e6;
        }
        feed(growing("pod-01", 10, LEAK, 1e6, 1_000, 5, 0.5)); // UPDATED lists them all again
        SuspectEvent updated = events.get(events.size() - 1);
        assertEquals(SuspectStatus.UPDATED, updated.status());
        assertEquals(pods, updated.instances().size(), "every growing instance is listed");
        assertEquals(rate, updated.growthRatePerHour(), 1e-3, "and counted");
        List<String> steepest = new ArrayList<>();
        for (int p = pods - SuspectState.MAX_EVIDENCE_INSTANCES + 1; p <= pods; p++) {
            steepest.add("pod-" + String.format("%02d", p));
        }
        assertEquals(steepest, updated.evidence().stream().map(EvidencePoint::instance).distinct().sorted().toList(),
                "evidence of the steepest instances only");
        SuspectState st = state.suspects().values().iterator().next();
        assertEquals(pods, st.instances().size());
        assertEquals(SuspectState.MAX_EVIDENCE_INSTANCES,
                st.instances().values().stream().filter(g -> !g.evidence().isEmpty()).count());
    }

    @Test
    void shouldProjectWhenTheHeapReachesTheMemoryLimit() {
        long limit = 1L << 30;
        InstanceReport r = growing("pod-1", 0, LEAK, 100e6, 1_000_000, 5, 0.8);
        InstanceReport withLimit = new InstanceReport(r.service(), r.instance(), r.kind(), r.captureTimeMs(), limit,
                600_000_000, r.update(), r.findings());
        feed(withLimit);
        SuspectEvent open = events.get(0);
        // (1073741824 - 600000000) bytes at 100e6 bytes/hour = 4.73741824 h = 17054705.664 ms, rounded up
        assertEquals(17_054_706L, open.projectedExhaustionMs());
        assertEquals(limit, open.memoryLimitBytes());
    }

    @Test
    void shouldProjectAGoroutineLeakByItsStacksAloneWhenNoHeapGrowsBesideIt() {
        long limit = 1L << 30;
        long heapInuse = 400_000_000;
        feed(heapCapture("pod-1", 0, limit, heapInuse));
        Site parked = Synthetic.goroutineSite("example.com/app.send");
        feed(growing("pod-1", 1, parked, 36_000, 5_000, 5, 0.8));
        SuspectEvent open = events.get(0);
        assertEquals(SuspectKind.GOROUTINE, open.kind());
        // (1073741824 - 400000000) bytes at 36000 goroutines/hour x 2048 bytes = 9.1382 h after minute 1
        long expected = MIN + (long) Math.ceil((limit - heapInuse) / (36_000.0 * 2048) * 3_600_000);
        assertEquals(expected, open.projectedExhaustionMs());
        assertEquals(limit, open.memoryLimitBytes());
    }

    @Test
    void shouldCountTheStacksOfGoroutinesLeakingOnTheSameInstanceInAHeapSuspectsProjection() {
        long limit = 1L << 30;
        long heapInuse = 600_000_000;
        Site parked = Synthetic.goroutineSite("example.com/app.send");
        feed(growing("pod-1", 0, parked, 36_000, 5_000, 5, 0.8));
        feed(growing("pod-2", 0, parked, 72_000, 5_000, 5, 0.8));
        InstanceReport heap = growing("pod-1", 1, LEAK, 100e6, 1_000_000, 5, 0.8);
        feed(new InstanceReport(heap.service(), heap.instance(), heap.kind(), heap.captureTimeMs(), limit, heapInuse,
                heap.update(), heap.findings()));
        SuspectEvent open = events.stream().filter(e -> e.kind() == SuspectKind.HEAP).findFirst().orElseThrow();
        // pod-1 only: its heap site and its goroutines; pod-2's goroutines hold pod-2's memory, not pod-1's
        long expected = MIN + (long) Math.ceil((limit - heapInuse) / (100e6 + 36_000.0 * 2048) * 3_600_000);
        assertEquals(expected, open.projectedExhaustionMs());
    }

    @Test
    void shouldNotProjectAGoroutineLeakOfAnInstanceWhoseHeapWasNeverCaptured() {
        Site parked = Synthetic.goroutineSite("example.com/app.send");
        InstanceReport r = growing("pod-1", 0, parked, 36_000, 5_000, 5, 0.8);
        feed(new InstanceReport(r.service(), r.instance(), r.kind(), r.captureTimeMs(), 1L << 30, r.totalValue(),
                r.update(), r.findings()));
        assertNull(events.get(0).projectedExhaustionMs(), "a goroutine count is not the in-use heap");
    }

    private static InstanceReport heapCapture(String instance, int minute, long limit, long heapInuse) {
        return new InstanceReport(Reports.SERVICE, instance, ProfileKind.HEAP, minute * MIN, limit, heapInuse,
                SeriesUpdate.APPENDED, List.of());
    }

    @Test
    void shouldKeepHeapSuspectsGrowingWhenAGoroutineReportArrives() {
        feed(growing("pod-1", 0, LEAK, 1e8, 1_000_000, 5, 0.8));
        for (int m = 1; m <= 40; m++) {
            feed(quiet("pod-1", m, ProfileKind.GOROUTINE));
            if (m % 5 == 0) {
                feed(growing("pod-1", m + 0.5, LEAK, 1e8, 1_000_000, 5, 0.8));
            }
        }
        assertTrue(events.stream().noneMatch(e -> e.status() == SuspectStatus.RESOLVED), statusesAtMinutes().toString());
    }

    @Test
    void shouldResolveGrowthThatNoReportConfirmsAnyMore() {
        // the instance keeps sending, but only captures that carry no verdict (out of order)
        feed(growing("pod-1", 0, LEAK, 1e8, 1_000_000, 5, 0.8));
        feed(ignored("pod-1", 29));
        assertEquals(List.of("OPEN@0"), statusesAtMinutes(), "an ignored capture carries no verdict");
        feed(ignored("pod-1", 30));
        assertEquals(List.of("OPEN@0", "RESOLVED@30"), statusesAtMinutes(),
                "growth last confirmed 30 min ago is stale even though no report said it stopped");
    }

    private static InstanceReport ignored(String instance, int minute) {
        return new InstanceReport(Reports.SERVICE, instance, ProfileKind.HEAP, minute * MIN, null, 1,
                SeriesUpdate.IGNORED, List.of());
    }

    @Test
    void shouldReportWhatLeakedGoroutinesWaitOn() {
        Site parked = Synthetic.goroutineSite("example.com/app.send");
        feed(growing("pod-1", 0, parked, 600, 40, 5, 0.8));
        SuspectEvent open = events.get(0);
        assertEquals(SuspectKind.GOROUTINE, open.kind());
        assertEquals("chan send", open.waitReason().label());
        assertEquals("goroutines/hour", open.growthUnit());
        assertEquals("example.com/app.send", open.site().function());
        assertEquals("runtime.gopark", open.stack().get(0).function());
        assertNull(open.projectedExhaustionMs());
    }

    @Test
    void shouldRefuseAReportOfAnotherService() {
        feed(growing("pod-1", 0, LEAK, 1e8, 1_000_000, 5, 0.8));
        InstanceReport other = new InstanceReport("billing", "pod-1", ProfileKind.HEAP, MIN, null, 1,
                SeriesUpdate.APPENDED, List.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tracker.onReport(state, other));
        assertEquals("state of service 'checkout' given a report of 'billing'", e.getMessage());
    }

}
