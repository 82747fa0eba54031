package dev.leakwatch.cli;

import dev.leakwatch.bench.BenchProfiles;
import dev.leakwatch.bench.StateBench;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code leakwatch bench state}: heap, RSS and RocksDB bytes of the topology with many tracked
 * instances at steady state (every series full). Run it with the heap you want to prove, e.g.
 * {@code LEAKWATCH_JAVA_OPTS=-Xmx512m}.
 */
@Command(name = "state", mixinStandardHelpOptions = true,
    description = "Memory and state with many tracked instances (TopologyTestDriver, RocksDB).")
public final class BenchStateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin BenchOptions options;

  @Option(names = "--profiles", split = ",", paramLabel = "SET",
      description = "profile sets: sites-300, sites-1200, sites-4800 (default: sites-300)")
  List<String> sets = List.of("sites-300");

  @Option(names = "--instances", defaultValue = "20000", description = "tracked instances (default: ${DEFAULT-VALUE})")
  int instances;

  @Option(names = "--services", defaultValue = "100", description = "services (default: ${DEFAULT-VALUE})")
  int services;

  @Option(names = "--captures", defaultValue = "48",
      description = "heap profiles per instance; 48 fills the default detection window (default: ${DEFAULT-VALUE})")
  int captures;

  @Option(names = "--tasks", defaultValue = "2", description = "topologies fed in parallel (default: ${DEFAULT-VALUE})")
  int tasks;

  @Override
  public Integer call() throws InterruptedException {
    BenchLogging.quiet();
    BenchReport report = new BenchReport(spec.commandLine().getOut());
    report.machine();
    for (String set : sets) {
      BenchProfiles profiles = BenchProfiles.load(options.testdata(), set);
      report.state(set, StateBench.run(profiles, new StateBench.Settings(instances, services, captures, tasks),
          options.workDir()));
    }
    report.print();
    return 0;
  }
}
