package dev.leakwatch.detect.growth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.detect.DetectionConfig;
import dev.leakwatch.detect.ProfileKind;
import dev.leakwatch.detect.TestCorpora;
import dev.leakwatch.detect.eval.CorpusScenario;
import dev.leakwatch.detect.series.InstanceSeries;
import dev.leakwatch.detect.series.SeriesUpdate;
import dev.leakwatch.detect.site.CaptureSnapshot;
import dev.leakwatch.detect.site.SiteExtractor;
import dev.leakwatch.pprof.Profile;
import java.util.List;
import org.junit.jupiter.api.Test;

class InstanceDetectorTest {
    private final InstanceDetector detector = new InstanceDetector(DetectionConfig.defaults());

    private static CorpusScenario.Capture capture(CorpusScenario s, String instance, ProfileKind kind, int index) {
        return s.captures().stream().filter(c -> c.instance().equals(instance) && c.kind() == kind).toList().get(index);
    }

    @Test
    void shouldReportEveryGoroutineOfAGoroutineLeakProfileAtOnce() {
        // Go 1.19 has no goroutineleak endpoint; its format is the goroutine profile's, so a recorded
        // goroutine profile stands for one: every sample it holds is, by the endpoint's contract, a leak
        CorpusScenario h = TestCorpora.fixture("H_push-worker");
        CorpusScenario.Capture c = capture(h, "replica-0", ProfileKind.GOROUTINE, 20);
        Profile p = TestCorpora.decode(c.file());
        CaptureContext ctx = new CaptureContext(h.service(), "replica-0", ProfileKind.GOROUTINE_LEAK, c.timeMs(), null);

        InstanceStep step = detector.process(null, ctx, p);

        CaptureSnapshot snap = SiteExtractor.extract(p, ProfileKind.GOROUTINE_LEAK, c.timeMs());
        long sites = snap.sites().values().stream().filter(v -> v.value() > 0).count();
        assertEquals(sites, step.report().findings().size());
        for (GrowthFinding f : step.report().findings()) {
            assertEquals(GrowthFinding.GOROUTINE_LEAK_PROFILE, f.statistic());
            assertEquals(InstanceDetector.GOROUTINE_LEAK_CONFIDENCE, f.confidence());
        }
        assertEquals(SeriesUpdate.STARTED, step.report().update());
    }

    @Test
    void shouldLeaveAllocsProfilesToTheHeapSeries() {
        CorpusScenario g = TestCorpora.fixture("G_session-store");
        CorpusScenario.Capture c = capture(g, "replica-1", ProfileKind.ALLOCS, 1);
        InstanceStep step = detector.process(null,
                new CaptureContext(g.service(), "replica-1", ProfileKind.ALLOCS, c.timeMs(), null),
                TestCorpora.decode(c.file()));
        assertEquals(SeriesUpdate.IGNORED, step.report().update());
        assertEquals(List.of(), step.report().findings());
        assertEquals(0, step.series().size());
    }

    @Test
    void shouldReportNothingForACaptureOlderThanTheSeries() {
        CorpusScenario g = TestCorpora.fixture("G_session-store");
        CorpusScenario.Capture later = capture(g, "replica-1", ProfileKind.HEAP, 5);
        CorpusScenario.Capture earlier = capture(g, "replica-1", ProfileKind.HEAP, 4);
        InstanceSeries s = detector.process(null, ctx(g, later), TestCorpora.decode(later.file())).series();
        InstanceStep step = detector.process(s, ctx(g, earlier), TestCorpora.decode(earlier.file()));
        assertEquals(SeriesUpdate.IGNORED, step.report().update());
        assertEquals(1, step.series().size());
    }

    @Test
    void shouldRefuseASnapshotOfAnotherKindThanItsContext() {
        CorpusScenario g = TestCorpora.fixture("G_session-store");
        CorpusScenario.Capture c = capture(g, "replica-1", ProfileKind.HEAP, 0);
        CaptureSnapshot heap = SiteExtractor.extract(TestCorpora.decode(c.file()), ProfileKind.HEAP, c.timeMs());
        CaptureContext goroutine = new CaptureContext(g.service(), "replica-1", ProfileKind.GOROUTINE, c.timeMs(), null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> detector.process(null, goroutine, heap));
        assertEquals("capture context says GOROUTINE, snapshot is HEAP", e.getMessage());
    }

    @Test
    void shouldCarryTheMemoryLimitAndInstanceTotalInItsReport() {
        CorpusScenario g = TestCorpora.fixture("G_session-store");
        CorpusScenario.Capture c = capture(g, "replica-1", ProfileKind.HEAP, 0);
        CaptureContext ctx = new CaptureContext(g.service(), "replica-1", ProfileKind.HEAP, c.timeMs(), 256L << 20);
        Profile p = TestCorpora.decode(c.file());
        InstanceReport r = detector.process(null, ctx, p).report();
        assertEquals(256L << 20, r.memoryLimitBytes());
        assertEquals(p.totalValue(p.sampleIndex("inuse_space")), r.totalValue());
        assertTrue(r.findings().isEmpty(), "one capture is no evidence");
    }

    private static CaptureContext ctx(CorpusScenario s, CorpusScenario.Capture c) {
        return new CaptureContext(s.service(), c.instance(), c.kind(), c.timeMs(), null);
    }
}
