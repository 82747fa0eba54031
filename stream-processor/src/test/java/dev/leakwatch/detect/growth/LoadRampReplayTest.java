package dev.leakwatch.detect.growth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.detect.DetectionConfig;
import dev.leakwatch.detect.ProfileKind;
import dev.leakwatch.detect.TestCorpora;
import dev.leakwatch.detect.eval.CorpusScenario;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Guard 10 (the mean object lifetime must rise) on recorded Go profiles: the buffers of a gateway whose
 * load ramps up grow for as long as the ramp lasts, at a constant lifetime, while a leak's lifetime grows.
 */
class LoadRampReplayTest {
    private static final List<String> BUFFER = List.of("leakwatch.dev/goleaker/internal/gateway.newBuffer");
    private static final List<String> LEAK = List.of("leakwatch.dev/goleaker/internal/session.(*Store).Remember");

    @Test
    void shouldNotReportBuffersThatGrowWithARampingLoadAtAConstantLifetime() throws IOException {
        Path dir = Path.of(System.getProperty("leakwatch.testdata"), "load-ramp", "R_api-gateway");
        InstanceReplay r = InstanceReplay.of(CorpusScenario.load(dir), "replica-0", ProfileKind.HEAP, BUFFER);
        assertTrue(r.findingsMentioning(BUFFER).isEmpty(), "reported: " + r.findingsMentioning(BUFFER));
        assertTrue(r.verdicts.contains(Verdict.LIFETIME_NOT_RISING), "verdicts: " + r.verdicts);
    }

    @Test
    void shouldStillReportALeakWhoseLifetimeIsKnownAndGrows() {
        InstanceReplay r = InstanceReplay.of(TestCorpora.fixture("G_session-store"), "replica-1", ProfileKind.HEAP,
                LEAK);
        assertFalse(r.findingsMentioning(LEAK).isEmpty(), "verdicts: " + r.verdicts);
        assertFalse(r.verdicts.contains(Verdict.LIFETIME_NOT_RISING), "verdicts: " + r.verdicts);
        assertTrue(r.mostKnownLifetimes >= DetectionConfig.defaults().minCaptures(),
                "the guard applied: lifetimes known at " + r.mostKnownLifetimes + " captures");
    }
}
