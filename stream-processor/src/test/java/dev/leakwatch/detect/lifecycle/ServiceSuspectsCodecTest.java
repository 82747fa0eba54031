package dev.leakwatch.detect.lifecycle;

import static dev.leakwatch.detect.lifecycle.Reports.growing;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.leakwatch.detect.DetectionConfig;
import dev.leakwatch.detect.ProfileKind;
import dev.leakwatch.detect.Site;
import dev.leakwatch.detect.StateFormatException;
import dev.leakwatch.detect.Synthetic;
import dev.leakwatch.detect.growth.InstanceReport;
import dev.leakwatch.detect.state.SiteCodec;
import dev.leakwatch.detect.state.StateWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceSuspectsCodecTest {

    private static ServiceSuspects state() {
        SuspectTracker t = new SuspectTracker(DetectionConfig.defaults());
        ServiceSuspects s = t.onReport(null, growing("pod-1", 0, Synthetic.heapSite("example.com/app.a"), 1e8, 5, 4, 0.7))
                .state();
        s = t.onReport(s, growing("pod-2", 1, Synthetic.goroutineSite("example.com/app.b"), 60, 7, 5, 0.8)).state();
        return s;
    }

    @Test
    void shouldRoundTripInstancesSuspectsAndTheirEntries() {
        ServiceSuspects s = state();
        ServiceSuspects back = ServiceSuspects.fromBytes(s.toBytes());
        assertEquals(s.service(), back.service());
        assertEquals(s.streamTimeMs(), back.streamTimeMs());
        assertEquals(s.latestCaptureMs(), back.latestCaptureMs());
        assertEquals(s.arrivedAtMs(), back.arrivedAtMs());
        assertEquals(s.instances(), back.instances());
        assertEquals(s.suspects().keySet(), back.suspects().keySet());
        for (String id : s.suspects().keySet()) {
            SuspectState a = s.suspects().get(id);
            SuspectState b = back.suspects().get(id);
            assertEquals(a.site(), b.site());
            assertEquals(a.site().stack(), b.site().stack());
            assertEquals(a.open(), b.open());
            assertEquals(a.openedAtMs(), b.openedAtMs());
            assertEquals(a.lastEventMs(), b.lastEventMs());
            assertEquals(a.firstGrowthMs(), b.firstGrowthMs());
            assertEquals(a.lastGrowthMs(), b.lastGrowthMs());
            assertEquals(a.instances(), b.instances());
        }
        assertArrayEquals(s.toBytes(), back.toBytes());
    }

    @Test
    void shouldCarryOnFromTheObjectItWroteExactlyAsFromItsDecodedBytes() {
        // The topology keeps the object it last wrote and applies the next report to it rather than
        // to a decode of the stored bytes: both must give the same state and events, report by report,
        // through OPEN, UPDATED, instances going quiet, evidence moving between more instances than
        // keep it, RESOLVED and gone instances.
        DetectionConfig config = DetectionConfig.defaults();
        SuspectTracker t = new SuspectTracker(config);
        Site heap = Synthetic.heapSite("example.com/app.a");
        Site goroutine = Synthetic.goroutineSite("example.com/app.b");
        int pods = SuspectState.MAX_EVIDENCE_INSTANCES + 4;
        List<InstanceReport> reports = new ArrayList<>();
        for (int m = 0; m < 40; m++) {
            for (int p = 0; p < pods; p++) {
                double slope = 1e8 * (1 + (p * 7 + m) % pods); // the steepest instances change over time
                reports.add(growing("pod-" + p, m + p / 100.0, heap, slope, 5 + m, 4, 0.7));
            }
            if (m < 10) {
                reports.add(growing("gr-1", m + 0.5, goroutine, 60, 7 + m, 5, 0.8));
            }
            if (m >= 20) {
                reports.add(Reports.quiet("pod-" + (m % pods), m + 0.25, ProfileKind.HEAP));
            }
        }
        ServiceSuspects kept = null;
        byte[] stored = null;
        for (InstanceReport r : reports) {
            TrackerStep fromObject = t.onReport(kept, r);
            TrackerStep fromBytes = t.onReport(stored == null ? null : ServiceSuspects.fromBytes(stored), r);
            assertArrayEquals(fromBytes.state().toBytes(), fromObject.state().toBytes(), "after " + r);
            assertEquals(fromBytes.events(), fromObject.events(), "after " + r);
            kept = fromObject.state();
            stored = kept.toBytes();
        }
        TrackerStep late = t.onTime(kept, 40 * Reports.MIN + config.instanceGoneAfter().toMillis());
        TrackerStep lateFromBytes = t.onTime(ServiceSuspects.fromBytes(stored),
                40 * Reports.MIN + config.instanceGoneAfter().toMillis());
        assertEquals(lateFromBytes.events(), late.events());
        assertFalse(late.events().isEmpty(), "the heap suspect resolves once its instances are gone");
        assertArrayEquals(lateFromBytes.state().toBytes(), late.state().toBytes());
    }

    @Test
    void shouldRejectTruncatedState() {
        byte[] bytes = state().toBytes();
        for (int cut : new int[] {2, 10, bytes.length / 2, bytes.length - 1}) {
            assertThrows(StateFormatException.class, () -> ServiceSuspects.fromBytes(Arrays.copyOf(bytes, cut)),
                    "cut at " + cut);
        }
    }

    @Test
    void shouldRejectAnInconsistentSite() {
        // a heap site that claims a wait reason: kind HEAP (0), wait reason CHAN_SEND (1)
        byte[] bytes = state().toBytes();
        ServiceSuspects s = state();
        String heapId = s.suspects().values().stream().filter(x -> x.site().waitReason() == null).findFirst()
                .orElseThrow().id();
        int at = indexOf(bytes, heapId.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + heapId.length();
        byte[] bad = bytes.clone();
        bad[at + 1] = 1;
        StateFormatException e = assertThrows(StateFormatException.class, () -> ServiceSuspects.fromBytes(bad));
        assertEquals("inconsistent site: a wait reason is required for goroutine sites and only for them (at byte "
                + at + ")", e.getMessage());
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    @Test
    void shouldKeepTheOwnLatestCaptureApartFromStreamTimeMovedByOthers() {
        SuspectTracker t = new SuspectTracker(DetectionConfig.defaults());
        ServiceSuspects s = t.onReport(null, Reports.quiet("pod-1", 2, ProfileKind.HEAP)).state();
        // the task's stream time moves on with another service's captures (the punctuator)
        s = t.onTime(s, 3 * Reports.MIN).state();
        ServiceSuspects back = ServiceSuspects.fromBytes(s.toBytes());
        assertEquals(2 * Reports.MIN, back.latestCaptureMs());
        assertEquals(3 * Reports.MIN, back.streamTimeMs());
    }

    @Test
    void shouldReadVersionOneStateTakingTheLatestCaptureFromItsInstances() {
        StateWriter w = new StateWriter();
        w.writeByte('L').writeByte('L').writeByte(1);
        w.writeString("checkout").writeSignedVarLong(9 * Reports.MIN);
        w.writeVarInt(2);
        w.writeString("pod-1").writeSignedVarLong(4 * Reports.MIN);
        SiteCodec.writeNullableLong(w, null);
        w.writeSignedVarLong(-1);
        w.writeString("pod-2").writeSignedVarLong(7 * Reports.MIN);
        SiteCodec.writeNullableLong(w, 1L << 30);
        w.writeSignedVarLong(5000);
        w.writeVarInt(0);

        ServiceSuspects s = ServiceSuspects.fromBytes(w.toByteArray());

        assertEquals(7 * Reports.MIN, s.latestCaptureMs());
        assertEquals(9 * Reports.MIN, s.streamTimeMs());
        assertEquals(9 * Reports.MIN, s.nowMs(), "judged at the stored stream time, as version 1's releases did");
        assertEquals(2, s.instances().size());
    }

    @Test
    void shouldJudgeVersionTwoStateAtItsStreamTimeUntilTheServicesNextReportArrives() {
        StateWriter w = new StateWriter();
        w.writeByte('L').writeByte('L').writeByte(2);
        w.writeString("checkout").writeSignedVarLong(20 * Reports.MIN).writeSignedVarLong(10 * Reports.MIN);
        w.writeVarInt(1);
        w.writeString("pod-1").writeSignedVarLong(10 * Reports.MIN);
        SiteCodec.writeNullableLong(w, null);
        w.writeSignedVarLong(-1);
        w.writeVarInt(0);

        ServiceSuspects s = ServiceSuspects.fromBytes(w.toByteArray());

        assertEquals(10 * Reports.MIN, s.arrivedAtMs(), "no arrival stored: taken at the latest capture");
        assertEquals(20 * Reports.MIN, s.nowMs(), "judged at the stored stream time, as version 2's releases did");
        // the next report brings its arrival: from then on the service is judged by its own silence
        SuspectTracker t = new SuspectTracker(DetectionConfig.defaults());
        s = t.onReport(s, Reports.quiet("pod-2", 12, ProfileKind.HEAP), 21 * Reports.MIN).state();
        assertEquals(12 * Reports.MIN, s.nowMs());
        s = t.onTime(s, 24 * Reports.MIN).state();
        assertEquals(15 * Reports.MIN, s.nowMs(), "its latest capture and the 3 min since it arrived");
        // pod-1 is taken to have arrived as its capture time passed (minute 10, the stored stream time's rule)
        assertEquals(List.of("pod-1", "pod-2"), List.copyOf(s.instances().keySet()), "pod-1 silent for 14 min only");
        s = t.onTime(s, 25 * Reports.MIN).state();
        assertEquals(List.of("pod-2"), List.copyOf(s.instances().keySet()), "pod-1 silent for 15 min is gone");
    }

    @Test
    void shouldJudgeEachInstanceOfVersionThreeStateOnTheServicesOwnTimeUntilItsNextReportArrives() {
        StateWriter w = new StateWriter();
        w.writeByte('L').writeByte('L').writeByte(3);
        // stream time 30, latest own capture 10, which arrived at stream time 20: the service 10 min behind
        w.writeString("checkout").writeSignedVarLong(30 * Reports.MIN).writeSignedVarLong(10 * Reports.MIN)
                .writeSignedVarLong(20 * Reports.MIN);
        w.writeVarInt(2);
        w.writeString("pod-1").writeSignedVarLong(4 * Reports.MIN);
        SiteCodec.writeNullableLong(w, null);
        w.writeSignedVarLong(-1);
        w.writeString("pod-2").writeSignedVarLong(10 * Reports.MIN);
        SiteCodec.writeNullableLong(w, null);
        w.writeSignedVarLong(-1);
        w.writeVarInt(0);

        ServiceSuspects s = ServiceSuspects.fromBytes(w.toByteArray());

        assertEquals(20 * Reports.MIN, s.nowMs());
        for (InstanceInfo i : s.instances().values()) {
            assertEquals(s.nowMs(), i.ownTimeMs(s.streamTimeMs(), Long.MAX_VALUE),
                    "each instance judged at the service's own time, as version 3's releases did");
        }
        SuspectTracker t = new SuspectTracker(DetectionConfig.defaults());
        s = t.onTime(s, 30 * Reports.MIN + 1).state();
        assertEquals(List.of("pod-2"), List.copyOf(s.instances().keySet()), "pod-1 silent 16 min of its own time");
        ServiceSuspects back = ServiceSuspects.fromBytes(s.toBytes());
        assertEquals(s.instances(), back.instances(), "written again as version 4, the same arrivals");
    }
}
