package dev.leakwatch.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.leakwatch.processor.ProcessorConfig;
import dev.leakwatch.schemas.avro.SuspectKind;
import dev.leakwatch.schemas.avro.SuspectStatus;
import dev.leakwatch.topology.eval.CorpusScenario;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo end to end, as {@code ./leakwatch demo --exit-when-done} runs it: a child-JVM broker,
 * the processor, a paced replay of the project's recorded corpus. Expectations come from the
 * corpus manifests' labels, never from a previous run.
 */
class DemoRunnerTest {

  @TempDir Path work;

  @Test
  void shouldPrintSuspectsForEveryLeakingServiceAndNoneForHealthyOnes() {
    String testdata = System.getProperty("leakwatch.testdata");
    assumeTrue(testdata != null && Files.isDirectory(Path.of(testdata, "corpus")), "testdata/corpus not available");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    DemoRunner runner = new DemoRunner(new DemoRunner.Settings(Path.of(testdata, "corpus"),
        new ReplayTiming(4, false), Duration.ofSeconds(110), true, 256L << 20, work.resolve("demo"),
        ProcessorConfig.parse("{}")), new PrintWriter(out, true), new PrintWriter(err, true));

    Set<Long> childrenBefore = ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet());
    DemoRunner.Report report = runner.run();

    String printed = out.toString();
    assertEquals(LocalSession.Ending.DONE, report.ending(), printed + err);
    assertTrue(report.replay().complete(), "every recorded profile published");
    assertTrue(report.processedAll());
    List<CorpusScenario> scenarios = report.scenarios();
    assertTrue(scenarios.stream().anyMatch(s -> s.leak() && s.leakKind().equals("heap")));
    assertTrue(scenarios.stream().anyMatch(s -> s.leak() && s.leakKind().equals("goroutine")));
    assertTrue(scenarios.stream().anyMatch(s -> !s.leak()));
    for (CorpusScenario s : scenarios) {
      List<SuspectTally.Entry> suspects = report.tally().suspects(s.service());
      if (s.leak()) {
        SuspectKind kind = SuspectKind.valueOf(s.leakKind().toUpperCase(Locale.ROOT));
        assertTrue(suspects.stream().anyMatch(e -> e.latest().getKind() == kind
                && s.leakSiteFunctions().contains(e.latest().getSite().getFunction())),
            s.service() + " leaks (" + s.leakKind() + ") at " + s.leakSiteFunctions() + ": " + suspects);
        assertTrue(printed.lines().anyMatch(l -> l.contains(" " + SuspectStatus.OPEN + " ")
            && l.contains(" " + s.service() + " " + kind + " ")), "an OPEN line for " + s.service() + ":\n" + printed);
      } else {
        assertTrue(suspects.isEmpty(), s.service() + " is healthy but got " + suspects);
        assertFalse(printed.lines().anyMatch(l -> l.contains(" " + s.service() + " HEAP ")
            || l.contains(" " + s.service() + " GOROUTINE ")), printed);
      }
    }
    assertTrue(printed.contains("Summary: "), printed);
    assertTrue(ProcessHandle.current().children().filter(ProcessHandle::isAlive)
        .allMatch(c -> childrenBefore.contains(c.pid())), "the broker's JVM was stopped");
    assertFalse(Files.exists(work.resolve("demo").resolve(Long.toString(ProcessHandle.current().pid()))),
        "the run's scratch directory was deleted");
  }
}
