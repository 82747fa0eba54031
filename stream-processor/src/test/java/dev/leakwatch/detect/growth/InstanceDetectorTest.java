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

    /**
     * A TTL cache swept in bulk, its cycle longer than the window: quiet for 10 captures (2 s apart), then
     * filling by 1 MiB per capture; every {@code sweepEvery} captures entries older than {@code ttl} captures
     * go, so it drops to {@code ttl} MiB, and each cycle's peak is {@code ttl + sweepEvery} MiB (the first:
     * {@code sweepEvery}). {@code leakPerCycle} MiB more are kept at every sweep (0: not a leak). Returns the
     * cycle number (0 first) of every capture at which the site was reported growing.
     */
    private List<Integer> cyclesReported(int ttl, int sweepEvery, int cycles, long leakPerCycle) {
        dev.leakwatch.detect.Site site = dev.leakwatch.detect.Synthetic.heapSite("example.com/cache.(*TTL).Set");
        long mib = 1 << 20;
        InstanceSeries series = null;
        List<Integer> reported = new java.util.ArrayList<>();
        long kept = 0;
        for (int i = 0; i < 10 + sweepEvery * cycles; i++) {
            int filling = i - 10; // captures since the cache began to fill
            long value;
            if (filling < 0) {
                value = 0;
            } else {
                int cycle = filling / sweepEvery;
                int into = filling % sweepEvery;
                kept = leakPerCycle * cycle * mib;
                value = kept + (cycle == 0 ? into : ttl + into) * mib;
            }
            long t = 1_000_000 + i * 2000L;
            InstanceStep step = detector.process(series,
                    new CaptureContext("svc", "replica-0", ProfileKind.HEAP, t, null),
                    dev.leakwatch.detect.Synthetic.heap(t, 400 * mib, 1000 + i, site, value));
            series = step.series();
            if (!step.report().findings().isEmpty()) {
                reported.add(Math.max(0, filling) / sweepEvery);
            }
        }
        return reported;
    }

    @Test
    void shouldNotReportAgainABulkSweptCacheWhoseCyclesReturnToTheSamePeak() {
        // a 30-capture TTL swept every 60 captures (the window holds 48): peaks of 60, then 90, 90, 90 MiB
        List<Integer> cycles = cyclesReported(30, 60, 6, 0);
        assertTrue(!cycles.isEmpty() && cycles.get(0) == 0, "the first fill looks like a leak: " + cycles);
        // the second cycle climbs past the first peak (60 MiB); from the third on every peak is 90 MiB
        assertEquals(List.of(), cycles.stream().filter(c -> c >= 2).toList(),
                "cycles reported after the cache reached its bound");
    }

    @Test
    void shouldKeepReportingASweptCacheThatKeepsMoreAtEverySweep() {
        // the same cache leaking 8 MiB per cycle, less than its peaks' sampling noise (3 x sqrt(100 MiB x
        // 512 KiB) = 21 MiB): reported whenever it has climbed that far past the peak it last climbed past,
        // every few cycles, so a suspect stays open (resolveAfter is 30 min, 15 of these 2-minute cycles)
        List<Integer> reported = cyclesReported(30, 60, 16, 8).stream().distinct().toList();
        for (int c = 0; c < 16; c += 4) {
            int from = c;
            assertTrue(reported.stream().anyMatch(r -> r >= from && r < from + 4),
                    "no report in cycles " + c + "-" + (c + 3) + ": " + reported);
        }
        // leaking 40 MiB per cycle, more than the noise: every cycle
        List<Integer> every = cyclesReported(30, 60, 6, 40).stream().distinct().toList();
        assertEquals(List.of(0, 1, 2, 3, 4, 5), every);
    }

    @Test
    void shouldReportASliceThatLeaksByBeingReallocatedLargerAndLarger() {
        // append to a slice that is never trimmed, after a quiet stretch: every 6 captures (2 s apart) a
        // 1.25x larger array is allocated and the old one freed; nothing is allocated in between, so the
        // site's lifetime is not known (guard 10 does not apply) and the staircase is judged as before
        dev.leakwatch.detect.Site slice = dev.leakwatch.detect.Synthetic.heapSite("example.com/events.(*Log).Add");
        long mib = 1 << 20;
        long capacity = 8 * mib;
        long allocated = 0;
        InstanceSeries series = null;
        List<Integer> reported = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            if (i >= 20 && i % 6 == 0) {
                capacity = capacity * 5 / 4;
                allocated += capacity;
            }
            long t = 1_000_000 + i * 2000L;
            CaptureSnapshot snap = new CaptureSnapshot(ProfileKind.HEAP, t,
                    List.of(new dev.leakwatch.detect.site.SiteValue(slice, i < 20 ? 0 : capacity, allocated)),
                    4000 * mib, 1000 + i, 8000L * i, 512 * 1024);
            InstanceStep step = detector.process(series, new CaptureContext("svc", "replica-0", ProfileKind.HEAP, t,
                    null), snap);
            series = step.series();
            if (!step.report().findings().isEmpty()) {
                reported.add(i);
            }
        }
        // still reported once every window is full of reallocations (from capture 68 on)
        assertTrue(reported.stream().anyMatch(i -> i >= 150), "reported at captures " + reported);
    }

    private static CaptureContext ctx(CorpusScenario s, CorpusScenario.Capture c) {
        return new CaptureContext(s.service(), c.instance(), c.kind(), c.timeMs(), null);
    }
}
