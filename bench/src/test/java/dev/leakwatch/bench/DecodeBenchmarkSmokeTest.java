package dev.leakwatch.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.util.Collection;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** The decode benchmark on every recorded fixture file, briefly, in this JVM: it runs and scores. */
class DecodeBenchmarkSmokeTest {

  @Test
  void shouldFindEveryFixtureFile() {
    assumeTrue(Files.isDirectory(BenchFixtures.configuredTestdata()), "no testdata directory");
    for (String fixture : BenchFixtures.FILES.keySet()) {
      assertTrue(Files.isRegularFile(BenchFixtures.file(fixture)), fixture);
    }
  }

  @Test
  void shouldScoreEveryBenchmarkOnTheLargestProfile() throws RunnerException {
    assumeTrue(Files.isDirectory(BenchFixtures.configuredTestdata()), "no testdata directory");
    Collection<RunResult> results = new Runner(new OptionsBuilder()
        .include(DecodeBenchmark.class.getName())
        .param("fixture", "allocs-4800")
        .forks(0)
        .warmupIterations(0)
        .measurementIterations(1)
        .measurementTime(TimeValue.milliseconds(200))
        .build()).run();
    assertEquals(3, results.size(), "decode, decodeUncompressed, gunzip");
    for (RunResult r : results) {
      assertTrue(r.getPrimaryResult().getScore() > 0, r.getParams().getBenchmark());
    }
  }
}
