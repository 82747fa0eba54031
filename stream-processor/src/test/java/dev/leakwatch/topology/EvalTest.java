package dev.leakwatch.topology;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.topology.eval.EvalReport;
import dev.leakwatch.topology.eval.Evaluation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code eval} replay through the production topology: every labelled leak is detected at its
 * site and nothing else is flagged, on the project's recorded corpus and, when present, the shared
 * developer corpus. Each run's report (as {@code ./leakwatch eval} prints it) is also written to
 * {@code target/eval-<corpus>.txt}.
 */
class EvalTest {

  @TempDir Path temp;

  @Test
  void shouldDetectEveryRecordedLeakAtItsSiteWithoutFalsePositives() throws IOException {
    assertPerfect(Fixtures.corpus(), "testdata");
  }

  @Test
  void shouldDetectEverySharedCorpusLeakAtItsSiteWithoutFalsePositives() throws IOException {
    assertPerfect(Fixtures.sharedCorpus(), "shared");
  }

  private void assertPerfect(Path corpus, String name) throws IOException {
    EvalReport report = Evaluation.run(corpus, TopologyConfig.defaults(), temp, s -> { });
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    report.print(new PrintStream(text, true, StandardCharsets.UTF_8));
    String printed = text.toString(StandardCharsets.UTF_8);
    String[] lines = printed.split("\n");
    System.out.print(printed);
    Files.writeString(Path.of("target", "eval-" + name + ".txt"), printed);

    assertTrue(report.leaks() > 0, "the corpus has leaks to find");
    assertAll(printed,
        () -> assertEquals(report.leaks(), report.detected(), "detected"),
        () -> assertEquals(report.leaks(), report.siteCorrect(), "site correct"),
        () -> assertEquals(0, report.falsePositives(), "false positives"),
        () -> assertEquals(0, report.scenarios().stream().mapToInt(s -> s.deadLetters()).sum(), "dead letters"),
        () -> assertTrue(lines[lines.length - 1].matches("eval: scenarios=" + report.scenarios().size()
            + " leaks=\\d+ detected=\\d+ site_correct=\\d+ false_positives=\\d+ median_delay_s=\\d+\\.\\d"),
            "summary line last"));
  }
}
