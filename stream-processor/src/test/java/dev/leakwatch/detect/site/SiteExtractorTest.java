package dev.leakwatch.detect.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leakwatch.detect.ProfileKind;
import dev.leakwatch.detect.SiteFrame;
import dev.leakwatch.detect.SuspectKind;
import dev.leakwatch.detect.TestCorpora;
import dev.leakwatch.detect.WaitReason;
import dev.leakwatch.detect.eval.CorpusScenario;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Extraction from real Go profiles, checked against the numbers the fixture recorder computed
 * independently with Go tooling ({@code verification.per_capture} in each manifest: totals, and sums over
 * stacks that contain a leak-site function).
 */
class SiteExtractorTest {

    @Test
    void shouldFoldALeakingHeapStackIntoOneSiteBlamedOnTheProgramsFunction() throws IOException {
        CorpusScenario g = TestCorpora.fixture("G_session-store");
        CorpusScenario.Capture last = lastCapture(g, "replica-1", ProfileKind.HEAP);
        JsonNode truth = perCapture(g, "replica-1", last);

        CaptureSnapshot snap = SiteExtractor.extract(TestCorpora.decode(last.file()), ProfileKind.HEAP, last.timeMs());

        String leakFn = g.leakSiteFunctions().get(0);
        List<SiteValue> leaking = snap.sites().values().stream().filter(v -> contains(v.site().stack(), leakFn)).toList();
        long leakingBytes = leaking.stream().mapToLong(SiteValue::value).sum();
        assertEquals(truth.path("site_inuse_space").asLong(), leakingBytes);
        SiteValue biggest = leaking.stream().max((a, b) -> Long.compare(a.value(), b.value())).orElseThrow();
        assertEquals(leakFn, biggest.site().frame().function());
        assertEquals(SuspectKind.HEAP, biggest.site().kind());
        assertEquals(null, biggest.site().waitReason());
        assertTrue(biggest.site().frame().line() > 0, "the blamed frame keeps its source line");

        assertEquals(truth.path("inuse_space").asLong(), snap.totalValue());
        assertEquals(truth.path("alloc_space").asLong(), snap.cumulativeAllocBytes());
        assertEquals(truth.path("heap_period").asLong(), snap.samplingPeriod());
    }

    @Test
    void shouldGiveTheTotalsOfAnAllocsProfileWithoutReadingItsStacks() throws IOException {
        CorpusScenario g = TestCorpora.fixture("G_session-store");
        CorpusScenario.Capture last = lastCapture(g, "replica-1", ProfileKind.HEAP);
        JsonNode truth = perCapture(g, "replica-1", last);

        CaptureSnapshot totals = SiteExtractor.totals(TestCorpora.decode(last.file()), ProfileKind.ALLOCS, last.timeMs());

        assertEquals(0, totals.siteCount());
        assertEquals(ProfileKind.ALLOCS, totals.kind());
        assertEquals(truth.path("inuse_space").asLong(), totals.totalValue());
        assertEquals(truth.path("alloc_space").asLong(), totals.cumulativeAllocBytes());
        assertEquals(truth.path("heap_period").asLong(), totals.samplingPeriod());
        CaptureSnapshot full = SiteExtractor.extract(TestCorpora.decode(last.file()), ProfileKind.ALLOCS, last.timeMs());
        assertEquals(full.cumulativeAllocObjects(), totals.cumulativeAllocObjects());
        assertThrows(IllegalArgumentException.class,
                () -> SiteExtractor.totals(TestCorpora.decode(last.file()), ProfileKind.GOROUTINE, 0));
    }

    @Test
    void shouldCountLeakedGoroutinesPerStackAndSayTheyWaitOnAChannelSend() throws IOException {
        CorpusScenario h = TestCorpora.fixture("H_push-worker");
        CorpusScenario.Capture last = lastCapture(h, "replica-0", ProfileKind.GOROUTINE);
        JsonNode truth = perCapture(h, "replica-0", last);

        CaptureSnapshot snap = SiteExtractor.extract(TestCorpora.decode(last.file()), ProfileKind.GOROUTINE,
                last.timeMs());

        String leakFn = h.leakSiteFunctions().get(0);
        List<SiteValue> leaking = snap.sites().values().stream().filter(v -> contains(v.site().stack(), leakFn)).toList();
        assertEquals(truth.path("site_goroutines").asLong(), leaking.stream().mapToLong(SiteValue::value).sum());
        SiteValue biggest = leaking.stream().max((a, b) -> Long.compare(a.value(), b.value())).orElseThrow();
        assertEquals(leakFn, biggest.site().frame().function());
        assertEquals(WaitReason.CHAN_SEND, biggest.site().waitReason());
        assertEquals("runtime.gopark", biggest.site().stack().get(0).function(), "the reported stack is complete");
        assertEquals(truth.path("goroutines").asLong(), snap.totalValue());
        assertEquals(CaptureSnapshot.ABSENT, snap.cumulativeAllocBytes());
    }

    @Test
    void shouldSayParkedSubscribersWaitInSelect() throws IOException {
        CorpusScenario l = TestCorpora.fixture("L_ws-gateway");
        CorpusScenario.Capture last = lastCapture(l, "replica-0", ProfileKind.GOROUTINE);
        CaptureSnapshot snap = SiteExtractor.extract(TestCorpora.decode(last.file()), ProfileKind.GOROUTINE,
                last.timeMs());
        SiteValue parked = snap.sites().values().stream()
                .filter(v -> contains(v.site().stack(), l.watchFunctions().get(0)))
                .max((a, b) -> Long.compare(a.value(), b.value())).orElseThrow();
        assertEquals(WaitReason.SELECT, parked.site().waitReason());
        assertTrue(parked.value() > 100, "thousands of parked goroutines fold into one site: " + parked.value());
    }

    @Test
    void shouldRejectAGoroutineProfileDeclaredAsHeapWithAPreciseMessage() {
        CorpusScenario h = TestCorpora.fixture("H_push-worker");
        CorpusScenario.Capture c = lastCapture(h, "replica-0", ProfileKind.GOROUTINE);
        ProfileShapeException e = assertThrows(ProfileShapeException.class,
                () -> SiteExtractor.extract(TestCorpora.decode(c.file()), ProfileKind.HEAP, c.timeMs()));
        assertEquals("a heap profile needs sample type 'inuse_space', this one has [goroutine]", e.getMessage());
    }

    private static boolean contains(List<SiteFrame> stack, String function) {
        return stack.stream().anyMatch(f -> f.function().equals(function));
    }

    static CorpusScenario.Capture lastCapture(CorpusScenario s, String instance, ProfileKind kind) {
        List<CorpusScenario.Capture> cs = s.captures().stream()
                .filter(c -> c.instance().equals(instance) && c.kind() == kind).toList();
        return cs.get(cs.size() - 1);
    }

    private static JsonNode perCapture(CorpusScenario s, String instance, CorpusScenario.Capture c) throws IOException {
        JsonNode m = new ObjectMapper().readTree(s.dir().resolve("manifest.json").toFile());
        String seq = c.file().getFileName().toString().substring(0, 4);
        for (JsonNode row : m.path("verification").path("per_capture").path(instance)) {
            if (row.path("seq").asInt() == Integer.parseInt(seq)) {
                return row;
            }
        }
        throw new AssertionError("no verification row for " + c.file());
    }
}
