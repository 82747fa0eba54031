package dev.leakwatch.detect.growth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.detect.ProfileKind;
import dev.leakwatch.detect.TestCorpora;
import dev.leakwatch.detect.WaitReason;
import dev.leakwatch.detect.eval.CorpusScenario;
import dev.leakwatch.detect.series.SeriesUpdate;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Every guard against a real Go process that is not leaking, and the two leaks, on the project's recorded
 * fixtures (both instances of each scenario). Sites are identified through the manifests' function lists.
 */
class RecordedGuardsTest {

    /** Replays the watched (non-leaking) sites of one instance and checks none is ever judged growing. */
    private static InstanceReplay assertNeverGrowing(String scenario, String instance, ProfileKind kind) {
        CorpusScenario s = TestCorpora.fixture(scenario);
        InstanceReplay r = InstanceReplay.of(s, instance, kind, s.watchFunctions());
        assertFalse(r.verdicts.isEmpty(), "the watched sites were judged");
        assertEquals(List.of(), r.growing);
        assertEquals(List.of(), r.findingsMentioning(s.watchFunctions()));
        return r;
    }

    @ParameterizedTest
    @ValueSource(strings = {"replica-0", "replica-1"})
    void shouldNotFlagACacheThatFillsDuringWarmUpAndThenPlateaus(String instance) {
        InstanceReplay r = assertNeverGrowing("I_product-cache", instance, ProfileKind.HEAP);
        assertTrue(r.verdicts.contains(Verdict.GROWTH_STOPPED) || r.verdicts.contains(Verdict.WARMING_UP),
                "the plateau and warm-up guards are what hold it back: " + r.verdicts);
    }

    @ParameterizedTest
    @ValueSource(strings = {"replica-0", "replica-1"})
    void shouldNotFlagSawtoothBatchesThatReleaseTheirMemory(String instance) {
        assertNeverGrowing("J_billing-batch", instance, ProfileKind.HEAP);
    }

    @ParameterizedTest
    @ValueSource(strings = {"replica-0", "replica-1"})
    void shouldNotFlagABurstThatReturnsToBaseline(String instance) {
        assertNeverGrowing("K_image-resizer", instance, ProfileKind.HEAP);
    }

    @ParameterizedTest
    @ValueSource(strings = {"replica-0", "replica-1"})
    void shouldNotFlagAStableCrowdOfParkedGoroutines(String instance) {
        assertNeverGrowing("L_ws-gateway", instance, ProfileKind.GOROUTINE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"replica-0", "replica-1"})
    void shouldNotFlagAllocationChurn(String instance) {
        assertNeverGrowing("M_search-api", instance, ProfileKind.HEAP);
    }

    @Test
    void shouldFlagTheLeakingHeapSiteWithItsRate() {
        CorpusScenario g = TestCorpora.fixture("G_session-store");
        InstanceReplay r = InstanceReplay.of(g, "replica-1", ProfileKind.HEAP, g.leakSiteFunctions());
        List<GrowthFinding> found = r.findingsMentioning(g.leakSiteFunctions());
        assertFalse(found.isEmpty(), "verdicts seen: " + r.verdicts);
        GrowthFinding last = found.get(found.size() - 1);
        assertEquals(g.leakSiteFunctions().get(0), last.site().frame().function());
        assertEquals(GrowthFinding.MANN_KENDALL, last.statistic());
        assertTrue(last.slopePerHour() > 50e6, "the fixture leaks 100-300 KB/s: " + last.slopePerHour());
        assertEquals(12, last.evidence().size());
        assertEquals(last.currentValue(), (long) last.evidence().get(11).value());
    }

    @Test
    void shouldFlagLeakedGoroutinesAndWhatTheyWaitOn() {
        CorpusScenario h = TestCorpora.fixture("H_push-worker");
        for (String instance : List.of("replica-0", "replica-1")) {
            InstanceReplay r = InstanceReplay.of(h, instance, ProfileKind.GOROUTINE, h.leakSiteFunctions());
            List<GrowthFinding> found = r.findingsMentioning(h.leakSiteFunctions());
            assertFalse(found.isEmpty(), instance + " verdicts: " + r.verdicts);
            assertEquals(WaitReason.CHAN_SEND, found.get(0).site().waitReason());
        }
    }

    @Test
    void shouldStartOverAtARestartInsteadOfReadingTheDropAsRecovery() {
        CorpusScenario g = TestCorpora.fixture("G_session-store");
        InstanceReplay r = InstanceReplay.of(g, "replica-0", ProfileKind.HEAP, g.leakSiteFunctions());
        int restart = -1;
        for (int i = 0; i < r.reports.size(); i++) {
            if (r.reports.get(i).update() == SeriesUpdate.RESTARTED) {
                assertEquals(-1, restart, "one restart");
                restart = i;
            }
        }
        assertEquals(18, restart, "the manifest records the restart after capture 17");
        for (int i = restart; i < Math.min(r.reports.size(), restart + 8); i++) {
            assertEquals(List.of(), r.reports.get(i).findings(), "a new series needs fresh evidence: capture " + i);
        }
    }
}
