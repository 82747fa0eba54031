package dev.leakwatch.cli;

import dev.leakwatch.bench.BenchProfiles;
import dev.leakwatch.bench.TopologyBench;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code leakwatch bench topology}: profiles/s through the production topology (TopologyTestDriver,
 * real RocksDB) against the bare decode rate of the same profiles, measured in the same run.
 */
@Command(name = "topology", mixinStandardHelpOptions = true,
    description = "Topology throughput (TopologyTestDriver, RocksDB) vs bare decode, same run.")
public final class BenchTopologyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin BenchOptions options;

  @Option(names = "--profiles", split = ",", paramLabel = "SET",
      description = "profile sets: typical, sites-300, sites-1200, sites-4800 (default: typical)")
  List<String> sets = List.of(BenchProfiles.TYPICAL);

  @Option(names = "--instances", defaultValue = "2000", description = "fleet size (default: ${DEFAULT-VALUE})")
  int instances;

  @Option(names = "--services", defaultValue = "50", description = "services (default: ${DEFAULT-VALUE})")
  int services;

  @Option(names = "--warmup", defaultValue = "12000",
      description = "records before measuring; fewer leave the JIT compiling during the measurement (default: ${DEFAULT-VALUE})")
  long warmup;

  @Option(names = "--records", defaultValue = "20000", description = "records measured, at most (default: ${DEFAULT-VALUE})")
  long records;

  @Option(names = "--max-seconds", defaultValue = "120",
      description = "the measurement ends after this long even if fewer records were measured (default: ${DEFAULT-VALUE})")
  long maxSeconds;

  @Option(names = "--decode-seconds", defaultValue = "15",
      description = "bare decode and first stage: warm-up and measurement, each (default: ${DEFAULT-VALUE})")
  double decodeSeconds;

  @Option(names = "--interleaved-rounds", defaultValue = "200",
      description = "then this many interleaved rounds of decode and topology, timed by thread CPU"
          + " (0: none; default: ${DEFAULT-VALUE})")
  int interleavedRounds;

  @Override
  public Integer call() {
    BenchLogging.quiet();
    BenchReport report = new BenchReport(spec.commandLine().getOut());
    report.machine();
    TopologyBench.Settings settings = new TopologyBench.Settings(instances, services, warmup, records,
        Duration.ofSeconds(maxSeconds), Duration.ofMillis((long) (decodeSeconds * 1000)), interleavedRounds);
    for (String set : sets) {
      BenchProfiles profiles = BenchProfiles.load(options.testdata(), set);
      report.topology(set, profiles, TopologyBench.run(profiles, settings, options.workDir()));
    }
    report.print();
    return 0;
  }
}
