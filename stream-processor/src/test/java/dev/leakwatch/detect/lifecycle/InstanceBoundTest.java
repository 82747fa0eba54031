package dev.leakwatch.detect.lifecycle;

import static dev.leakwatch.detect.lifecycle.Reports.MIN;
import static dev.leakwatch.detect.lifecycle.Reports.growing;
import static dev.leakwatch.detect.lifecycle.Reports.quiet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.detect.DetectionConfig;
import dev.leakwatch.detect.ProfileKind;
import dev.leakwatch.detect.Site;
import dev.leakwatch.detect.SuspectStatus;
import dev.leakwatch.detect.Synthetic;
import dev.leakwatch.detect.growth.GrowthFinding;
import dev.leakwatch.detect.growth.InstanceReport;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A service's lifecycle state against more instances within {@code instanceGoneAfter} than its stored
 * form may hold: a churning fleet, or a producer sending a new instance name with every profile.
 */
class InstanceBoundTest {
    private static final Site LEAK = Synthetic.heapSite("example.com/app.leak");

    @Test
    void shouldKeepTheStateReadableAndTheSuspectOpenWhenMoreInstancesReportThanTheStateHolds() {
        SuspectTracker tracker = new SuspectTracker(DetectionConfig.defaults());
        List<SuspectEvent> events = new ArrayList<>();
        ServiceSuspects state = null;
        for (int m = 0; m <= 5; m++) {
            state = Reports.feed(tracker, state, growing("pod-leaking", m, LEAK, 1e8, 1_000_000 + m, 5, 0.8), events);
        }
        int extra = ServiceSuspectsCodec.MAX_INSTANCES + 10;
        for (int i = 0; i < extra; i++) {
            // all within five minutes: none is gone (instanceGoneAfter 15 min)
            double minute = 5 + 5.0 * i / extra;
            state = Reports.feed(tracker, state, quiet("churn-" + i, minute, ProfileKind.HEAP), events);
            if (i % 10_000 == 0) {
                state = Reports.feed(tracker, state, growing("pod-leaking", minute, LEAK, 1e8, 1_000_006, 5, 0.8),
                        events);
            }
        }

        // the processor reads the state back before every report: it must still read
        ServiceSuspects back = ServiceSuspects.fromBytes(state.toBytes());
        assertTrue(back.instances().size() <= ServiceSuspectsCodec.MAX_INSTANCES);
        assertTrue(back.instances().containsKey("pod-leaking"), "an instance seen lately is kept");
        assertTrue(back.instances().containsKey("churn-" + (extra - 1)), "the newest instance is kept");
        assertFalse(back.instances().containsKey("churn-0"), "the least recently seen instance makes room");
        SuspectState suspect = back.suspects().values().iterator().next();
        assertTrue(suspect.open());
        assertEquals(List.of(SuspectStatus.OPEN), events.stream().map(SuspectEvent::status).distinct().toList());
    }

    @Test
    void shouldKeepAnInstanceWhoseClockRunsBehindAndItsSuspectOpenWhenNewInstancesMakeRoom() {
        // pod-lagging's agent clock runs an hour behind the churning fleet's: its captures are the oldest
        // of the service, though it reports as often as any (its own time, not theirs, says it is live)
        SuspectTracker tracker = new SuspectTracker(DetectionConfig.defaults());
        List<SuspectEvent> events = new ArrayList<>();
        ServiceSuspects state = null;
        int extra = ServiceSuspectsCodec.MAX_INSTANCES + 10;
        for (int i = 0; i < extra; i++) {
            double minute = 60 + 5.0 * i / extra;
            if (i % 5_000 == 0) {
                InstanceReport r = growing("pod-lagging", minute - 60, LEAK, 1e8, 1_000_000 + i, 5, 0.8);
                TrackerStep step = tracker.onReport(state, r, (long) (minute * MIN));
                events.addAll(step.events());
                state = step.state();
            }
            state = Reports.feed(tracker, state, quiet("churn-" + i, minute, ProfileKind.HEAP), events);
        }

        assertTrue(state.instances().size() <= ServiceSuspectsCodec.MAX_INSTANCES);
        assertTrue(state.instances().containsKey("pod-lagging"), "an instance heard from lately is kept");
        assertEquals(List.of(SuspectStatus.OPEN), events.stream().map(SuspectEvent::status).toList(),
                "opened once, not resolved and opened again each time the fleet makes room");
    }

    @Test
    void shouldKeepTheStoredStateWithinTheRecordSizeWhenInstancesHaveTheLongestNames() {
        SuspectTracker tracker = new SuspectTracker(DetectionConfig.defaults());
        List<SuspectEvent> events = new ArrayList<>();
        ServiceSuspects state = null;
        // 255 characters, the longest name the shared rule accepts, each three bytes in UTF-8
        String padding = "\u00e9\u4e2d".repeat(126);
        int n = 40_000;
        for (int i = 0; i < n; i++) {
            String name = String.format("%07d", i) + padding;
            state = Reports.feed(tracker, state, quiet(name.substring(0, 255), 5.0 * i / n, ProfileKind.HEAP), events);
        }

        byte[] stored = state.toBytes();
        // the processor writes the state as one changelog record of at most 16 MiB (ProcessorConfig's
        // record room); a larger one is refused by the producer and stops the pipeline at that record
        assertTrue(stored.length <= ServiceSuspects.MAX_INSTANCE_BYTES + 1024,
                "stored state of " + stored.length + " bytes");
        assertTrue(ServiceSuspects.MAX_INSTANCE_BYTES <= (16 << 20) / 2);
        ServiceSuspects back = ServiceSuspects.fromBytes(stored);
        assertTrue(back.instances().containsKey(String.format("%07d", n - 1) + padding.substring(0, 248)),
                "the newest instance is kept");
        assertFalse(back.instances().containsKey("0000000" + padding.substring(0, 248)),
                "the least recently seen instance makes room");
    }

    @Test
    void shouldKeepTheSteepestInstancesOfEachSuspectWhenTheStoredStateOutgrowsItsBound() {
        SuspectTracker tracker = new SuspectTracker(DetectionConfig.defaults());
        List<Site> sites = List.of(Synthetic.heapSite("example.com/app.leakA"),
                Synthetic.heapSite("example.com/app.leakB"), Synthetic.heapSite("example.com/app.leakC"));
        int n = 2_000;
        ServiceSuspects state = null;
        List<SuspectEvent> events = new ArrayList<>();
        for (int round = 0; round <= 5; round++) {
            for (int i = 0; i < n; i++) {
                // every site grows on every instance, the steeper the higher the instance's number
                state = Reports.feed(tracker, state, growingAt(String.format("pod-%05d", i), round + (double) i / n,
                        sites, 1e6 + 1_000.0 * i, 1_000_000 + round), events);
            }
        }
        int unbounded = state.toBytes().length;
        int budget = unbounded / 3;

        byte[] stored = StateBound.encodeWithin(state, budget, new ArrayList<>());

        assertTrue(stored.length <= budget, stored.length + " bytes, budget " + budget);
        ServiceSuspects back = ServiceSuspects.fromBytes(stored);
        assertEquals(3, back.suspects().size());
        for (SuspectState suspect : back.suspects().values()) {
            assertTrue(suspect.open(), "a suspect stays open");
            assertTrue(suspect.instances().size() < n, "entries were shed");
            assertTrue(suspect.instances().containsKey(String.format("pod-%05d", n - 1)), "the steepest is kept");
            assertFalse(suspect.instances().containsKey("pod-00000"), "the flattest makes room");
        }
        assertEquals(n, back.instances().size(), "the service still knows every instance");
        assertEquals(List.of(stored.length), List.of(StateBound.encodeWithin(back, budget, new ArrayList<>()).length),
                "a state within its bound is stored as it is");
    }

    /**
     * Suspects at their floor of instance entries that still pass the bound: sites whose stacks take a
     * megabyte each (1,024 frames of 1 KiB names, within the decoder's limits), which a report can bring
     * six at a time. Before whole suspects were shed, the state was written at any size.
     */
    @Test
    void shouldKeepTheEarliestOpenedSuspectsWithinTheBoundWhenSuspectsAtTheirFloorOutgrowIt() {
        SuspectTracker tracker = new SuspectTracker(DetectionConfig.defaults());
        List<SuspectEvent> events = new ArrayList<>();
        ServiceSuspects state = null;
        int n = 20;
        for (int i = 0; i < n; i++) {
            // one site per report, each opened half a minute after the one before (none gone), one instance each
            state = Reports.feed(tracker, state, growing("pod-" + i, i / 2.0, hugeSite(i), 1e8, 1_000_000, 5, 0.8),
                    events);
        }
        assertTrue(state.toBytes().length > (16 << 20), "the suspects together pass the record");

        byte[] stored = StateBound.encodeWithin(state, ServiceSuspects.MAX_STORED_BYTES, new ArrayList<>());

        assertTrue(stored.length <= ServiceSuspects.MAX_STORED_BYTES, "stored state of " + stored.length + " bytes");
        ServiceSuspects back = ServiceSuspects.fromBytes(stored);
        int kept = back.suspects().size();
        assertTrue(kept > 0 && kept < n, kept + " suspects kept");
        List<String> earliest = events.stream().limit(kept).map(SuspectEvent::suspectId).sorted().toList();
        assertEquals(earliest, List.copyOf(back.suspects().keySet()), "the earliest opened are kept");
        assertTrue(back.suspects().values().stream().allMatch(SuspectState::open), "and stay open");
        assertEquals(n, back.instances().size(), "the service still knows every instance");

        // a shed site that grows again waits for room: no second OPEN while the state is full
        back = Reports.feed(tracker, back, growing("pod-" + (n - 1), n / 2.0, hugeSite(n - 1), 1e8, 1_000_001, 5, 0.8),
                events);
        assertEquals(n, events.size(), "no suspect opened twice");
        assertEquals(kept, back.suspects().size());
    }

    /** A heap site 1,024 frames deep whose every function name takes 1 KiB: about a megabyte stored. */
    private static Site hugeSite(int i) {
        String[] frames = new String[1024];
        for (int f = 0; f < frames.length; f++) {
            String name = "example.com/app.leak" + i + "." + f + ".";
            frames[f] = name + "x".repeat(1024 - name.length());
        }
        return Reports.heapSite(frames);
    }

    /** A heap report from {@code instance} listing every one of {@code sites} as growing. */
    private static InstanceReport growingAt(String instance, double minute, List<Site> sites, double slopePerHour,
            long value) {
        List<GrowthFinding> findings = new ArrayList<>();
        for (Site site : sites) {
            findings.addAll(growing(instance, minute, site, slopePerHour, value, 5, 0.8).findings());
        }
        InstanceReport one = growing(instance, minute, sites.get(0), slopePerHour, value, 5, 0.8);
        return new InstanceReport(one.service(), one.instance(), one.kind(), one.captureTimeMs(), null,
                one.totalValue(), one.update(), findings);
    }
}
