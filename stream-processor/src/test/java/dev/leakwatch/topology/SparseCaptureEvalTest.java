package dev.leakwatch.topology;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.topology.eval.CorpusReader;
import dev.leakwatch.topology.eval.CorpusReplay;
import dev.leakwatch.topology.eval.CorpusScenario;
import dev.leakwatch.topology.eval.EvalReport;
import dev.leakwatch.topology.eval.EvalScorer;
import dev.leakwatch.topology.eval.ScenarioScore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Generalisation check on the production topology: the recorded corpora with sparser captures (only
 * every 2nd or 3rd capture of each instance kept: intervals of 2–9 s instead of 1–3 s, and a half or a
 * third as many captures) still give every leak at its site and no false positive. Nothing in the
 * defaults may depend on the recorded capture interval.
 */
class SparseCaptureEvalTest {

  @TempDir Path temp;

  @ParameterizedTest(name = "{0} corpus, every capture whose number is {2} modulo {1}")
  @CsvSource({"shared, 2, 1", "shared, 3, 2", "testdata, 2, 0", "testdata, 3, 1"})
  void shouldKeepDetectingEveryLeakWithoutFalsePositivesWhenCapturesAreSparser(String corpus, int stride,
      int offset) {
    Path root = "shared".equals(corpus) ? Fixtures.sharedCorpus() : Fixtures.corpus();
    CorpusReplay replay = new CorpusReplay(TopologyConfig.defaults(), temp);
    List<ScenarioScore> scores = new ArrayList<>();
    for (CorpusScenario s : CorpusReader.read(root)) {
      CorpusScenario sparse = keepEvery(s, stride, offset);
      scores.add(EvalScorer.score(sparse, replay.replay(sparse)));
    }
    EvalReport report = new EvalReport(scores);
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    report.print(new PrintStream(text, true, StandardCharsets.UTF_8));

    assertTrue(report.leaks() > 0, "the corpus has leaks to find");
    assertAll(text.toString(StandardCharsets.UTF_8),
        () -> assertEquals(report.leaks(), report.detected(), "detected"),
        () -> assertEquals(report.leaks(), report.siteCorrect(), "site correct"),
        () -> assertEquals(0, report.falsePositives(), "false positives"),
        () -> assertEquals(0, scores.stream().mapToInt(ScenarioScore::deadLetters).sum(), "dead letters"));
  }

  /** The captures whose sequence number (the file name's first 4 digits) is {@code offset} modulo {@code stride}. */
  private static CorpusScenario keepEvery(CorpusScenario s, int stride, int offset) {
    List<CorpusScenario.Capture> kept = s.captures().stream()
        .filter(c -> Integer.parseInt(c.file().getFileName().toString().substring(0, 4)) % stride == offset)
        .toList();
    return new CorpusScenario(s.id(), s.service(), s.leak(), s.leakKind(), s.leakSiteFunctions(),
        s.watchFunctions(), s.earliestLeakStartMs(), kept);
  }
}
