package dev.leakwatch.detect.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.leakwatch.detect.DetectionConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Generalisation check: the same corpora with sparser captures (every 2nd or 3rd capture kept — intervals
 * of 2–9 s instead of 1–3 s, and a third as many captures) must still give every leak at its site and no
 * false positive. Nothing in the defaults may depend on the recorded capture interval.
 */
class SparseCaptureEvaluationTest {

    @ParameterizedTest(name = "{0} corpus, every {1}th capture from {2}")
    @CsvSource({"shared, 2, 1", "shared, 3, 2", "testdata, 2, 0", "testdata, 3, 1"})
    void shouldKeepDetectingEveryLeakWithoutFalsePositivesWhenCapturesAreSparser(String corpus, int stride,
            int offset) throws IOException {
        Path root = "shared".equals(corpus) ? prop("leakwatch.shared.corpus") : prop("leakwatch.testdata").resolve("corpus");
        assumeTrue(Files.isDirectory(root), root + " absent");
        CorpusReplay replay = new CorpusReplay(DetectionConfig.defaults());
        for (CorpusScenario s : CorpusScenario.loadAll(root)) {
            List<CorpusScenario.Capture> kept = new ArrayList<>();
            for (CorpusScenario.Capture c : s.captures()) {
                int seq = Integer.parseInt(c.file().getFileName().toString().substring(0, 4));
                if (seq % stride == offset) {
                    kept.add(c);
                }
            }
            CorpusScenario sparse = new CorpusScenario(s.dir(), s.id(), s.service(), s.label(), s.leakKind(),
                    s.leakSiteFunctions(), s.watchFunctions(), kept, s.earliestLeakStartMs());
            ScenarioScore score = ScenarioScore.of(sparse, replay.replay(sparse));
            assertEquals(0, score.falsePositives(), score.line());
            assertEquals(s.isLeak(), score.detected(), score.line());
            assertEquals(s.isLeak(), score.siteCorrect(), score.line());
        }
    }

    private static Path prop(String name) {
        String v = System.getProperty(name);
        assumeTrue(v != null, name + " not set");
        return Path.of(v);
    }
}
