package dev.leakwatch.detect.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.leakwatch.detect.DetectionConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Replays labelled corpora of real Go profiles through the detection library with default settings and
 * holds it to the project's bar: every leak detected at the right site, no false positive. The per-scenario
 * report is printed and written to {@code target/detect-eval-<corpus>.txt}.
 */
class CorpusEvaluationTest {

    @Test
    void shouldDetectEveryLeakAtItsSiteWithoutFalsePositivesOnTheSharedCorpus() throws IOException {
        Path root = corpus("leakwatch.shared.corpus", null);
        assumeTrue(root != null && Files.isDirectory(root), "shared corpus absent (only beside a dev checkout)");
        assertPerfect(evaluate(root, "shared"));
    }

    @Test
    void shouldDetectEveryLeakAtItsSiteWithoutFalsePositivesOnTheProjectFixtures() throws IOException {
        Path root = corpus("leakwatch.testdata", "corpus");
        assumeTrue(root != null && Files.isDirectory(root), "testdata/corpus absent");
        assertPerfect(evaluate(root, "testdata"));
    }

    private static Path corpus(String property, String child) {
        String p = System.getProperty(property);
        if (p == null) {
            return null;
        }
        return child == null ? Path.of(p) : Path.of(p, child);
    }

    static List<ScenarioScore> evaluate(Path root, String name) throws IOException {
        CorpusReplay replay = new CorpusReplay(DetectionConfig.defaults());
        List<ScenarioScore> scores = new ArrayList<>();
        for (CorpusScenario s : CorpusScenario.loadAll(root)) {
            scores.add(ScenarioScore.of(s, replay.replay(s)));
        }
        String report = scores.stream().map(ScenarioScore::line).collect(Collectors.joining("\n"));
        System.out.println(report);
        Path out = Path.of("target", "detect-eval-" + name + ".txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report + "\n");
        return scores;
    }

    private static void assertPerfect(List<ScenarioScore> scores) {
        for (ScenarioScore s : scores) {
            String what = s.scenario().id() + " " + s.scenario().service();
            if (s.scenario().isLeak()) {
                assertEquals(true, s.detected(), what + ": leak not detected\n" + s.line());
                assertEquals(true, s.siteCorrect(), what + ": leak reported at the wrong site\n" + s.line());
            }
            assertEquals(0, s.falsePositives(), what + ": false positives\n" + s.line());
        }
    }
}
