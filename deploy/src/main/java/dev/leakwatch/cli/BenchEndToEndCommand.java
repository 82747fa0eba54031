package dev.leakwatch.cli;

import dev.leakwatch.bench.BenchProfiles;
import dev.leakwatch.bench.DecodeRate;
import dev.leakwatch.bench.EndToEndBench;
import dev.leakwatch.bench.GoParse;
import dev.leakwatch.bench.Machine;
import dev.leakwatch.bench.Rate;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code leakwatch bench e2e}: the pipeline end to end on the local broker with exactly_once_v2:
 * sustained profiles/s, then latency publish → processed and publish → suspect event at half that
 * rate, processor and broker CPU and memory, and Go's {@code profile.Parse} on the same profiles in
 * the same run.
 */
@Command(name = "e2e", mixinStandardHelpOptions = true,
    description = "End to end on the local broker (exactly_once_v2): sustained rate, latency at half load.")
public final class BenchEndToEndCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin BenchOptions options;
  @Mixin PipelineOptions pipeline;

  @Option(names = "--profiles", split = ",", paramLabel = "SET",
      description = "profile sets: typical, sites-300, sites-1200, sites-4800 (default: typical)")
  List<String> sets = List.of(BenchProfiles.TYPICAL);

  @Option(names = "--go-seconds", defaultValue = "1",
      description = "Go profile.Parse measurement per file (0: skip) (default: ${DEFAULT-VALUE})")
  double goSeconds;

  @Override
  public Integer call() {
    BenchLogging.quiet();
    PrintWriter out = spec.commandLine().getOut();
    BenchReport report = new BenchReport(out);
    report.machine();
    BenchProfiles leak = BenchProfiles.load(options.testdata(), BenchProfiles.LEAKING);
    for (String set : sets) {
      BenchProfiles profiles = BenchProfiles.load(options.testdata(), set);
      EndToEndBench.Result r = EndToEndBench.run(profiles, leak, pipeline.settings(), options.workDir(),
          BenchEndToEndCommand::processorCommand);
      report.endToEnd(set, profiles, r);
      if (goSeconds > 0) {
        List<Path> files = profiles.sampleFiles(6);
        Duration t = Duration.ofMillis((long) (goSeconds * 1000));
        GoParse.Result go = GoParse.run(options.testdata(), files, t);
        // Java gets at least 5 s of warm-up: its JIT needs it, Go's compiled code does not.
        Duration javaWarmup = t.compareTo(Duration.ofSeconds(5)) > 0 ? t : Duration.ofSeconds(5);
        Rate java = DecodeRate.measure(files.stream().map(BenchProfiles::read).toList(), javaWarmup, t);
        report.goParse(set, files.size(), go, java);
      }
    }
    report.print();
    return 0;
  }

  /** How the rig starts the processor: this CLI's own {@code processor} command. */
  static List<String> processorCommand(Path config) {
    return List.of(LeakwatchCli.class.getName(), "processor", "--config", config.toString());
  }
}
