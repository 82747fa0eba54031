package dev.leakwatch.detect.growth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.leakwatch.detect.EvidencePoint;
import dev.leakwatch.detect.ProfileKind;
import dev.leakwatch.detect.StateFormatException;
import dev.leakwatch.detect.Synthetic;
import dev.leakwatch.detect.series.SeriesUpdate;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class InstanceReportCodecTest {

    private static InstanceReport report() {
        GrowthFinding heap = new GrowthFinding(Synthetic.heapSite("example.com/app.leak"), 1.5e8, 4_000_000,
                GrowthFinding.MANN_KENDALL, 4.2, 0.7, 1_000, List.of(new EvidencePoint("pod-1", 2_000, 3.9e6),
                        new EvidencePoint("pod-1", 3_000, 4.0e6)));
        GrowthFinding goroutines = new GrowthFinding(Synthetic.goroutineSite("example.com/app.wait"), 600, 40,
                GrowthFinding.GOROUTINE_LEAK_PROFILE, 0, 0.99, 500, List.of());
        return new InstanceReport("checkout", "pod-1", ProfileKind.HEAP, 3_000, 1L << 30, 9_000_000,
                SeriesUpdate.APPENDED, List.of(heap, goroutines));
    }

    @Test
    void shouldRoundTripEveryField() {
        InstanceReport r = report();
        InstanceReport back = InstanceReport.fromBytes(r.toBytes());
        assertEquals(r.service(), back.service());
        assertEquals(r.instance(), back.instance());
        assertEquals(r.kind(), back.kind());
        assertEquals(r.captureTimeMs(), back.captureTimeMs());
        assertEquals(r.memoryLimitBytes(), back.memoryLimitBytes());
        assertEquals(r.totalValue(), back.totalValue());
        assertEquals(r.update(), back.update());
        assertEquals(r.findings(), back.findings());
        assertEquals(r.findings().get(1).site().waitReason(), back.findings().get(1).site().waitReason());
        assertEquals(r.findings().get(0).site().stack(), back.findings().get(0).site().stack());
    }

    @Test
    void shouldKeepAnUnknownMemoryLimitUnknown() {
        InstanceReport r = new InstanceReport("s", "i", ProfileKind.GOROUTINE, 1, null, 3, SeriesUpdate.STARTED, List.of());
        assertEquals(null, InstanceReport.fromBytes(r.toBytes()).memoryLimitBytes());
    }

    @Test
    void shouldRejectTruncatedAndForeignBytes() {
        byte[] bytes = report().toBytes();
        assertThrows(StateFormatException.class, () -> InstanceReport.fromBytes(Arrays.copyOf(bytes, bytes.length / 2)));
        byte[] series = {'L', 'S', 1};
        StateFormatException e = assertThrows(StateFormatException.class, () -> InstanceReport.fromBytes(series));
        assertEquals("instance report: bad magic 4c 53 (at byte 0)", e.getMessage());
    }
}
