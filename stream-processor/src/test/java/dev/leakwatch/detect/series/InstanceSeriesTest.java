package dev.leakwatch.detect.series;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.detect.DetectionConfig;
import dev.leakwatch.detect.ProfileKind;
import dev.leakwatch.detect.Site;
import dev.leakwatch.detect.Synthetic;
import dev.leakwatch.detect.TestCorpora;
import dev.leakwatch.detect.eval.CorpusScenario;
import dev.leakwatch.detect.site.SiteExtractor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InstanceSeriesTest {
    private static final DetectionConfig CONFIG = DetectionConfig.defaults();
    private static final Site A = Synthetic.heapSite("example.com/app.a");

    @Test
    void shouldStartANewSeriesWhenCumulativeAllocationsDropAfterAProcessRestart() {
        CorpusScenario g = TestCorpora.fixture("G_session-store");
        InstanceSeries s = InstanceSeries.empty(ProfileKind.HEAP);
        List<Long> restartsAt = new ArrayList<>();
        for (CorpusScenario.Capture c : captures(g, "replica-0", ProfileKind.HEAP)) {
            SeriesUpdate u = s.append(SiteExtractor.extract(TestCorpora.decode(c.file()), c.kind(), c.timeMs()), CONFIG);
            if (u == SeriesUpdate.RESTARTED) {
                restartsAt.add(c.timeMs());
                assertEquals(1, s.size(), "the new series holds only the first capture of the new process");
            }
        }
        // the manifest records one restart, after capture 17: the first capture of the new process is 18
        long firstOfNewProcess = captures(g, "replica-0", ProfileKind.HEAP).stream()
                .filter(c -> c.file().getFileName().toString().startsWith("0018")).findFirst().orElseThrow().timeMs();
        assertEquals(List.of(firstOfNewProcess), restartsAt);
        assertEquals(1, s.generation());
        assertEquals(firstOfNewProcess, s.generationStartMs());
    }

    @Test
    void shouldKeepOneSeriesForAnInstanceThatNeverRestarted() {
        CorpusScenario g = TestCorpora.fixture("G_session-store");
        InstanceSeries s = InstanceSeries.empty(ProfileKind.HEAP);
        for (CorpusScenario.Capture c : captures(g, "replica-1", ProfileKind.HEAP)) {
            SeriesUpdate u = s.append(SiteExtractor.extract(TestCorpora.decode(c.file()), c.kind(), c.timeMs()), CONFIG);
            assertTrue(!u.startedNewSeries(), "unexpected " + u + " at " + c.file());
        }
        assertEquals(0, s.generation());
    }

    @Test
    void shouldStayUnder20KbAndRoundTripOnTheManySitesProfiles() {
        CorpusScenario n = TestCorpora.fixture("N_profile-heavy");
        InstanceSeries s = InstanceSeries.empty(ProfileKind.HEAP);
        int largest = 0;
        for (CorpusScenario.Capture c : captures(n, "replica-0", ProfileKind.HEAP)) {
            var snap = SiteExtractor.extract(TestCorpora.decode(c.file()), c.kind(), c.timeMs());
            assertTrue(snap.sites().size() > CONFIG.maxTrackedSites(), "the fixture has more sites than slots");
            s.append(snap, CONFIG);
            byte[] bytes = s.toBytes();
            largest = Math.max(largest, bytes.length);
            assertArrayEquals(bytes, InstanceSeries.fromBytes(bytes).toBytes());
        }
        assertTrue(largest < 20_000, "serialized series reached " + largest + " bytes");
        assertEquals(CONFIG.maxTrackedSites(), s.sites().size());
    }

    @Test
    void shouldStartANewSeriesAfterAGapLongerThanMaxGap() {
        InstanceSeries s = InstanceSeries.empty(ProfileKind.HEAP);
        s.append(Synthetic.heap(0, 100, 10, A, 100), CONFIG);
        s.append(Synthetic.heap(60_000, 100, 20, A, 100), CONFIG);
        SeriesUpdate u = s.append(Synthetic.heap(60_000 + CONFIG.maxGap().toMillis() + 1, 100, 30, A, 100), CONFIG);
        assertEquals(SeriesUpdate.GAP, u);
        assertEquals(1, s.size());
        assertEquals(1, s.generation());
    }

    @Test
    void shouldStartANewSeriesWhenTheGoroutineTotalCollapses() {
        Site g = Synthetic.goroutineSite("example.com/app.worker");
        InstanceSeries s = InstanceSeries.empty(ProfileKind.GOROUTINE);
        s.append(Synthetic.goroutines(0, 1000, g, 990), CONFIG);
        assertEquals(SeriesUpdate.APPENDED, s.append(Synthetic.goroutines(1000, 600, g, 590), CONFIG),
                "a drop to 60 % is not a collapse");
        assertEquals(SeriesUpdate.COLLAPSED, s.append(Synthetic.goroutines(2000, 20, g, 10), CONFIG));
        assertEquals(1, s.size());
    }

    @Test
    void shouldCallARestartDuringASilenceARestartSoTheNewProcessCountsFromZero() {
        // G replica-0 is killed after capture 17; here the new process is first scraped after a silence
        // longer than maxGap: its counters went down all the same, which a gap alone would not explain
        CorpusScenario g = TestCorpora.fixture("G_session-store");
        long silence = CONFIG.maxGap().toMillis() + 60_000;
        InstanceSeries s = InstanceSeries.empty(ProfileKind.HEAP);
        List<SeriesUpdate> atFirstOfNewProcess = new ArrayList<>();
        for (CorpusScenario.Capture c : captures(g, "replica-0", ProfileKind.HEAP)) {
            boolean newProcess = c.file().getFileName().toString().compareTo("0018") >= 0;
            long t = c.timeMs() + (newProcess ? silence : 0);
            SeriesUpdate u = s.append(SiteExtractor.extract(TestCorpora.decode(c.file()), c.kind(), t), CONFIG);
            if (c.file().getFileName().toString().startsWith("0018")) {
                atFirstOfNewProcess.add(u);
                assertEquals(t, s.restartSignal().lastRestartMs(), "the heap series remembers the restart");
            }
        }
        assertEquals(List.of(SeriesUpdate.RESTARTED), atFirstOfNewProcess);
    }

    @Test
    void shouldKeepAGoroutineSeriesThroughACollapseWhileTheLiveHeapSeriesSawNoRestart() {
        // a batch of 600 goroutines that ended: the total falls from 650 to 50, the leak goes on
        Site leak = Synthetic.goroutineSite("example.com/app.leakyWorker");
        Site batch = Synthetic.goroutineSite("example.com/app.fanOut");
        InstanceSeries s = InstanceSeries.empty(ProfileKind.GOROUTINE);
        RestartSignal heap = new RestartSignal(RestartSignal.NONE, 15_000);
        s.append(Synthetic.goroutines(0, 640, leak, 40, batch, 600), CONFIG, heap);
        SeriesUpdate u = s.append(Synthetic.goroutines(15_000, 50, leak, 45), CONFIG, heap);

        assertEquals(SeriesUpdate.APPENDED, u);
        assertEquals(2, s.size());
        assertEquals(SeriesUpdate.COLLAPSED, collapseWithoutHeap(leak, batch),
                "without a heap series the same fall reads as a restart");
    }

    private static SeriesUpdate collapseWithoutHeap(Site leak, Site batch) {
        InstanceSeries s = InstanceSeries.empty(ProfileKind.GOROUTINE);
        s.append(Synthetic.goroutines(0, 640, leak, 40, batch, 600), CONFIG);
        return s.append(Synthetic.goroutines(15_000, 50, leak, 45), CONFIG);
    }

    @Test
    void shouldStartANewGoroutineSeriesWhenTheHeapSeriesSawARestartSinceItsLastCapture() {
        Site leak = Synthetic.goroutineSite("example.com/app.leakyWorker");
        InstanceSeries s = InstanceSeries.empty(ProfileKind.GOROUTINE);
        s.append(Synthetic.goroutines(0, 300, leak, 290), CONFIG, new RestartSignal(RestartSignal.NONE, 0));
        // the heap capture at 14 s showed the restart; the goroutine total barely moved (pools refilled)
        SeriesUpdate u = s.append(Synthetic.goroutines(15_000, 290, leak, 280), CONFIG,
                new RestartSignal(14_000, 14_000));

        assertEquals(SeriesUpdate.RESTARTED, u);
        assertEquals(1, s.size());
    }

    @Test
    void shouldFallBackToTheCollapseWhenTheHeapSeriesStoppedReporting() {
        Site batch = Synthetic.goroutineSite("example.com/app.fanOut");
        InstanceSeries s = InstanceSeries.empty(ProfileKind.GOROUTINE);
        RestartSignal stale = new RestartSignal(RestartSignal.NONE, -CONFIG.maxGap().toMillis() - 1);
        s.append(Synthetic.goroutines(0, 640, batch, 600), CONFIG, stale);

        assertEquals(SeriesUpdate.COLLAPSED, s.append(Synthetic.goroutines(1, 20, batch, 10), CONFIG, stale));
    }

    @Test
    void shouldIgnoreDuplicateAndOutOfOrderCaptures() {
        InstanceSeries s = InstanceSeries.empty(ProfileKind.HEAP);
        s.append(Synthetic.heap(1000, 100, 10, A, 100), CONFIG);
        byte[] before = s.toBytes();
        assertEquals(SeriesUpdate.IGNORED, s.append(Synthetic.heap(1000, 5, 11, A, 5), CONFIG));
        assertEquals(SeriesUpdate.IGNORED, s.append(Synthetic.heap(500, 5, 11, A, 5), CONFIG));
        assertArrayEquals(before, s.toBytes());
    }

    @Test
    void shouldKeepOnlyTheLastWindowOfCaptures() {
        InstanceSeries s = InstanceSeries.empty(ProfileKind.HEAP);
        for (int i = 0; i < 100; i++) {
            s.append(Synthetic.heap(i * 1000L, 100, 10 + i, A, i), CONFIG);
        }
        assertEquals(CONFIG.windowCaptures(), s.size());
        assertEquals(52_000, s.timeMs(0));
        TrackedSite a = s.sites().get(0);
        assertEquals(CONFIG.windowCaptures(), a.known());
        assertEquals(52, a.knownValues()[0]);
        assertEquals(99, a.lastValue());
    }

    @Test
    void shouldShrinkStoredStateWhenASmallerWindowIsConfigured() {
        InstanceSeries s = InstanceSeries.empty(ProfileKind.HEAP);
        for (int i = 0; i < 30; i++) {
            s.append(Synthetic.heap(i * 1000L, 100, 10 + i, A, i), CONFIG);
        }
        InstanceSeries reloaded = InstanceSeries.fromBytes(s.toBytes());
        reloaded.append(Synthetic.heap(30_000, 100, 40, A, 30), CONFIG.toBuilder().windowCaptures(10).minCaptures(8).evidencePerInstance(8).build());
        assertEquals(10, reloaded.size());
        assertEquals(21_000, reloaded.timeMs(0));
        assertArrayEquals(new long[] {21, 22, 23, 24, 25, 26, 27, 28, 29, 30}, reloaded.sites().get(0).knownValues());
    }

    @Test
    void shouldTrackAGrowingSiteOnceItOutgrowsAStormOfSpikesAndKeepIt() {
        // 16 slots: 10 big stable sites, 200 churn sites of which about 20 spike (50-100 KB) at each
        // capture, and a leak that appears late and small. Slots go to the largest candidates, so the leak
        // takes one once it is larger than the spikes (from 105 KB, capture 30 on) and keeps it: its floor
        // then stays above what any spike brings
        DetectionConfig small = CONFIG.toBuilder().maxTrackedSites(16).build();
        Site growing = Synthetic.heapSite("example.com/app.leak");
        Random rnd = new Random(7);
        InstanceSeries s = InstanceSeries.empty(ProfileKind.HEAP);
        for (int i = 0; i < 60; i++) {
            List<Object> pairs = new ArrayList<>();
            if (i >= 10) {
                pairs.addAll(List.of(growing, 5000L * (i - 9)));
            }
            for (int k = 0; k < 10; k++) {
                pairs.add(Synthetic.heapSite("example.com/app.stable" + k));
                pairs.add(2_000_000L);
            }
            for (int k = 0; k < 200; k++) {
                pairs.add(Synthetic.heapSite("example.com/app.churn" + k));
                pairs.add(rnd.nextInt(10) == 0 ? 50_000L + rnd.nextInt(50_000) : 0L);
            }
            s.append(Synthetic.heap(i * 1000L, 30_000_000, 100 + i, pairs.toArray()), small);
            if (i >= 30) {
                assertTrue(s.sites().stream().anyMatch(t -> t.id() == growing.id()),
                        "capture " + i + ": the growing site is not tracked");
            }
        }
        assertEquals(16, s.sites().size());
        for (int k = 0; k < 10; k++) {
            long id = Synthetic.heapSite("example.com/app.stable" + k).id();
            assertTrue(s.sites().stream().anyMatch(t -> t.id() == id), "stable site " + k + " was evicted");
        }
    }

    @Test
    void shouldTrackALargeSiteThatAppearsLateInAServiceWithMoreSitesThanSlots() {
        // 300 stable sites, 64 slots: every capture has 236 untracked candidates. A large site that
        // appears after the series started must take a slot at once and keep it, not lose it to the next
        // (smaller) candidate of the same capture or to the site it displaced at the next capture
        Site late = Synthetic.heapSite("example.com/app.late");
        InstanceSeries s = InstanceSeries.empty(ProfileKind.HEAP);
        for (int i = 0; i < 40; i++) {
            List<Object> pairs = stableSites(300, 1000L);
            if (i >= 12) {
                pairs.addAll(List.of(late, 5_000_000L + 100_000L * i));
            }
            s.append(Synthetic.heap(i * 30_000L, 300_000_000, 100 + i, pairs.toArray()), CONFIG);
            boolean tracked = s.sites().stream().anyMatch(t -> t.id() == late.id());
            assertEquals(i >= 12, tracked, "capture " + i);
        }
        TrackedSite t = s.sites().stream().filter(x -> x.id() == late.id()).findFirst().orElseThrow();
        assertEquals(28, t.known(), "known since it was admitted");
        assertEquals(CONFIG.maxTrackedSites(), s.sites().size());
    }

    /** Site/value pairs of {@code count} stable sites {@code app.stable<k>} holding {@code unit * (k + 1)}. */
    private static List<Object> stableSites(int count, long unit) {
        List<Object> pairs = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            pairs.add(Synthetic.heapSite("example.com/app.stable" + k));
            pairs.add(unit * (k + 1));
        }
        return pairs;
    }

    @Test
    void shouldKeepALargeNewSiteThatArrivesWithSmallerUntrackedOnes() {
        // every slot held by sites that have held memory for a while; a large new site arrives together
        // with smaller new ones: it wins the slot of the weakest, and the smaller ones cannot take it back
        DetectionConfig small = CONFIG.toBuilder().maxTrackedSites(8).build();
        Site big = Synthetic.heapSite("example.com/app.big");
        InstanceSeries s = InstanceSeries.empty(ProfileKind.HEAP);
        for (int i = 0; i < 20; i++) {
            List<Object> pairs = stableSites(8, 100_000L);
            if (i >= 12) {
                pairs.addAll(List.of(big, 5_000_000L));
                for (int k = 0; k < 5; k++) {
                    pairs.add(Synthetic.heapSite("example.com/app.small" + k));
                    pairs.add(150_000L + k);
                }
            }
            s.append(Synthetic.heap(i * 1000L, 30_000_000, 100 + i, pairs.toArray()), small);
            boolean tracked = s.sites().stream().anyMatch(t -> t.id() == big.id());
            assertEquals(i >= 12, tracked, "capture " + i);
        }
        long weakest = Synthetic.heapSite("example.com/app.stable0").id();
        assertTrue(s.sites().stream().noneMatch(t -> t.id() == weakest), "the weakest stable site made room");
        assertEquals(8, s.sites().size());
    }

    @Test
    void shouldRememberWhenANewSiteWasAbsentBeforeAppearing() {
        InstanceSeries s = InstanceSeries.empty(ProfileKind.HEAP);
        Site b = Synthetic.heapSite("example.com/app.b");
        s.append(Synthetic.heap(0, 100, 10, A, 100), CONFIG);
        s.append(Synthetic.heap(1000, 100, 20, A, 100), CONFIG);
        s.append(Synthetic.heap(2000, 5_000_000, 30, A, 100, b, 4_000_000), CONFIG);
        TrackedSite tb = s.sites().stream().filter(t -> t.id() == b.id()).findFirst().orElseThrow();
        assertArrayEquals(new long[] {0, 0, 4_000_000}, tb.knownValues(), "absent from earlier profiles = 0");
        assertEquals(1000, tb.quietUntilMs(), "last capture at which it was absent");
        assertTrue(tb.risen());
    }

    @Test
    void shouldAdmitTheLargestSitesFirstAndBreakTiesInExtractionOrder() {
        // four slots, six candidates: 30 beats everything, then the three 20s in the order met; values
        // beyond 2^43 bytes take the boxed sort and must give the same admission
        for (long scale : new long[] {1, 1L << 40}) {
            DetectionConfig four = CONFIG.toBuilder().maxTrackedSites(4).build();
            InstanceSeries s = InstanceSeries.empty(ProfileKind.HEAP);
            Site[] sites = new Site[6];
            long[] values = {10, 20, 30, 20, 5, 20};
            List<Object> pairs = new ArrayList<>();
            for (int k = 0; k < sites.length; k++) {
                sites[k] = Synthetic.heapSite("example.com/app.site" + k);
                pairs.add(sites[k]);
                pairs.add(values[k] * scale);
            }
            s.append(Synthetic.heap(0, 1000 * scale, 10, pairs.toArray()), four);
            List<Long> admitted = s.sites().stream().map(TrackedSite::id).toList();
            assertEquals(List.of(sites[2].id(), sites[1].id(), sites[3].id(), sites[5].id()), admitted,
                    "scale " + scale);
        }
    }

    private static List<CorpusScenario.Capture> captures(CorpusScenario s, String instance, ProfileKind kind) {
        return s.captures().stream().filter(c -> c.instance().equals(instance) && c.kind() == kind).toList();
    }

    @Test
    void shouldNotTakeTheJitterOfAGrowingSiteForARelease() {
        // rising 1 MiB a capture, and from 10 MiB on every 4th capture 1.5 MiB below the one before:
        // each dip is more than the minimum rise (1 MiB) but less than a quarter of the rise so far
        long mib = 1 << 20;
        InstanceSeries s = InstanceSeries.empty(ProfileKind.HEAP);
        for (int i = 0; i < 40; i++) {
            long v = i * mib - (i >= 10 && i % 4 == 0 ? 5 * mib / 2 : 0);
            s.append(Synthetic.heap(1_000_000 + i * 2000L, 400 * mib, 1000 + i, A, v), CONFIG);
        }
        assertEquals(TrackedSite.NO_RELEASE, s.sites().get(0).climbPast());
        assertEquals(39 * mib, s.sites().get(0).peak());
    }

    @Test
    void shouldTakeAFallOfAQuarterOfTheRiseForARelease() {
        long mib = 1 << 20;
        InstanceSeries s = InstanceSeries.empty(ProfileKind.HEAP);
        long[] values = {0, 4 * mib, 8 * mib, 6 * mib, 7 * mib, 9 * mib};
        for (int i = 0; i < values.length; i++) {
            s.append(Synthetic.heap(1_000_000 + i * 2000L, 400 * mib, 1000 + i, A, values[i]), CONFIG);
        }
        // 8 -> 6 MiB gives back 2 of the 8 MiB risen: the level to climb past is that peak and 3 times its
        // sampling noise (sqrt(8 MiB x 512 KiB) = 2 MiB); the later peak, still below it, does not move it
        assertEquals(14 * mib, s.sites().get(0).climbPast());
        assertEquals(9 * mib, s.sites().get(0).peak());
    }

    @Test
    void shouldRejectASnapshotOfAnotherKind() {
        InstanceSeries s = InstanceSeries.empty(ProfileKind.HEAP);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> s.append(Synthetic.goroutines(0, 1), CONFIG));
        assertEquals("a HEAP series cannot take a GOROUTINE capture", e.getMessage());
    }
}
