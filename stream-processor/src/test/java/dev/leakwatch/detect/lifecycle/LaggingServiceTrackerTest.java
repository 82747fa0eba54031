package dev.leakwatch.detect.lifecycle;

import static dev.leakwatch.detect.lifecycle.Reports.MIN;
import static dev.leakwatch.detect.lifecycle.Reports.growing;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.detect.DetectionConfig;
import dev.leakwatch.detect.Site;
import dev.leakwatch.detect.Synthetic;
import dev.leakwatch.detect.growth.InstanceReport;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A service whose reports arrive while its task's stream time, which other services move, is ahead of
 * their capture times — agents' clocks behind, or a backlog flushed after an outage — with the default
 * intervals (gone after 15 min, RESOLVED after 30 min quiet, UPDATED at most every 10 min). It is
 * judged by its own silence. Every step is applied both to the state object and to a decode of its
 * stored bytes (what a restarted processor reads), which must agree in state and events.
 */
class LaggingServiceTrackerTest {
    private static final Site LEAK = Synthetic.heapSite("example.com/app.leak");
    private static final long HALF = MIN / 2;

    private final SuspectTracker tracker = new SuspectTracker(DetectionConfig.defaults());
    private ServiceSuspects kept;
    private byte[] stored;
    private final List<SuspectEvent> events = new ArrayList<>();

    @Test
    void shouldKeepASuspectOpenWhileItsServiceReportsHalfAnHourBehindTheOthers() {
        long lag = 30 * MIN;
        for (int k = 0; k <= 120; k++) { // a report every 30 s for an hour
            InstanceReport r = growing("pod-1", k / 2.0, LEAK, 1e8, 1_000_000 + k, 5, 0.8);
            long arrival = r.captureTimeMs() + lag;
            apply(s -> tracker.onReport(s, r, arrival));
            apply(s -> tracker.onTime(s, arrival + HALF / 2)); // the others' captures tick in between
        }
        assertEquals(List.of("OPEN@0", "UPDATED@10", "UPDATED@20", "UPDATED@30", "UPDATED@40", "UPDATED@50",
                "UPDATED@60"), statusesAtMinutes(), "no RESOLVED, no second OPEN while it reports");

        // it stops at capture minute 60, which arrived at minute 90 of stream time; the others go on
        for (long t = 91 * MIN; t <= 104 * MIN; t += MIN) {
            long now = t;
            apply(s -> tracker.onTime(s, now));
        }
        assertEquals(7, events.size(), "not gone before 15 min of its own silence");
        apply(s -> tracker.onTime(s, 105 * MIN));
        assertEquals("RESOLVED@75", statusesAtMinutes().get(7), "gone 15 min after its last capture, its own time");
        assertTrue(kept.isEmpty(), "the gone instance is forgotten");
    }

    @Test
    void shouldNotFlapWhileAServiceFlushesTheBacklogOfAnOutage() {
        for (int m = 0; m <= 20; m++) { // live
            InstanceReport r = growing("pod-1", m, LEAK, 1e8, 1_000_000 + m, 5, 0.8);
            apply(s -> tracker.onReport(s, r, r.captureTimeMs()));
        }
        for (long t = 21 * MIN; t <= 60 * MIN; t += MIN) { // its agent is down; the others go on
            long now = t;
            apply(s -> tracker.onTime(s, now));
        }
        assertEquals(List.of("OPEN@0", "UPDATED@10", "UPDATED@20", "RESOLVED@35"), statusesAtMinutes(),
                "gone after 15 min of silence");
        // back at minute 60 of stream time, the agent sends what it buffered, 40 captures in 2 minutes
        for (int m = 21; m <= 60; m++) {
            InstanceReport r = growing("pod-1", m, LEAK, 1e8, 1_000_000 + m, 5, 0.8);
            long arrival = 60 * MIN + (m - 21) * 3000L;
            apply(s -> tracker.onReport(s, r, arrival));
            apply(s -> tracker.onTime(s, arrival + 1000));
        }
        assertEquals(List.of("OPEN@0", "UPDATED@10", "UPDATED@20", "RESOLVED@35", "OPEN@21", "UPDATED@31",
                "UPDATED@41", "UPDATED@51"), statusesAtMinutes(), "one new episode, no flapping during the flush");
    }

    /** Applies a step to the kept object and to a decode of its stored bytes; they must agree. */
    private void apply(Function<ServiceSuspects, TrackerStep> step) {
        TrackerStep fromObject = step.apply(kept);
        TrackerStep fromBytes = step.apply(stored == null ? null : ServiceSuspects.fromBytes(stored));
        assertArrayEquals(fromBytes.state().toBytes(), fromObject.state().toBytes());
        assertEquals(fromBytes.events(), fromObject.events());
        kept = fromObject.state();
        stored = kept.toBytes();
        events.addAll(fromObject.events());
    }

    private List<String> statusesAtMinutes() {
        return events.stream().map(e -> e.status() + "@" + e.detectedAtMs() / MIN).toList();
    }
}
