package dev.leakwatch.cli;

import dev.leakwatch.bench.BenchProfiles;
import dev.leakwatch.bench.EndToEndBench;
import dev.leakwatch.bench.StateBench;
import dev.leakwatch.bench.TopologyBench;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code leakwatch bench scaling}: the topology, end-to-end and memory/state measures at 1x, 4x and 16x
 * allocation sites per profile (the recorded sets sites-300, sites-1200, sites-4800), in one table.
 * Record counts of the topology run, the end-to-end fleet and the tracked instances of the state measure
 * shrink with the scale so that each takes about as long; the per-series and per-profile measures stay
 * comparable.
 */
@Command(name = "scaling", mixinStandardHelpOptions = true,
    description = "Topology, end-to-end and state measures at 1x, 4x and 16x sites per profile.")
public final class BenchScalingCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin BenchOptions options;
  @Mixin PipelineOptions pipeline;

  @Option(names = "--scales", split = ",", paramLabel = "SET",
      description = "the scales to run, by profile set (default: sites-300,sites-1200,sites-4800)")
  List<String> scales = BenchProfiles.SCALES;

  @Option(names = "--topology-records", defaultValue = "6000",
      description = "records measured through the topology at 1x, divided by the scale (default: ${DEFAULT-VALUE})")
  long topologyRecords;

  @Option(names = "--topology-max-seconds", defaultValue = "60",
      description = "the topology measurement ends after this long, at most (default: ${DEFAULT-VALUE})")
  long topologyMaxSeconds;

  @Option(names = "--decode-seconds", defaultValue = "10",
      description = "bare decode warm-up and measurement, each (default: ${DEFAULT-VALUE})")
  double decodeSeconds;

  @Option(names = "--state-instances", defaultValue = "160",
      description = "tracked instances of the state measure at 1x, divided by the scale (default: ${DEFAULT-VALUE})")
  int stateInstances;

  @Option(names = "--state-captures", defaultValue = "48",
      description = "captures per instance of the state measure; 48 fills the series (default: ${DEFAULT-VALUE})")
  int stateCaptures;

  @Override
  public Integer call() throws InterruptedException {
    BenchLogging.quiet();
    BenchReport report = new BenchReport(spec.commandLine().getOut());
    report.machine();
    int base = 300;
    for (String set : scales) {
      if (!BenchProfiles.SCALES.contains(set)) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "unknown scale '" + set + "'; one of " + String.join(", ", BenchProfiles.SCALES));
      }
      BenchProfiles profiles = BenchProfiles.load(options.testdata(), set);
      int scale = Integer.parseInt(set.substring(set.indexOf('-') + 1)) / base;
      long records = Math.max(200, topologyRecords / scale);
      // The fleet shrinks with the scale, so that every instance still publishes several captures; the
      // topology is warmed up until each one has published two (a first capture costs more).
      EndToEndBench.Settings fleet = pipeline.settings(scale);
      TopologyBench.Result topology = TopologyBench.run(profiles, new TopologyBench.Settings(fleet.instances(),
          fleet.services(), 2L * fleet.instances(), records, Duration.ofSeconds(topologyMaxSeconds),
          Duration.ofMillis((long) (decodeSeconds * 1000))), options.workDir());
      report.topology(set, profiles, topology);
      EndToEndBench.Result e2e = EndToEndBench.run(profiles, BenchProfiles.load(options.testdata(),
          BenchProfiles.LEAKING), fleet, options.workDir(), BenchEndToEndCommand::processorCommand);
      report.endToEnd(set, profiles, e2e);
      // Two tasks, an even number of instances and services in each.
      int instances = Math.max(20, stateInstances / scale / 4 * 4);
      StateBench.Result state = StateBench.run(profiles,
          new StateBench.Settings(instances, Math.max(2, instances / 20 / 2 * 2), stateCaptures, 2),
          options.workDir());
      report.state(set, state);
      report.scaling(scale, profiles, topology, e2e, state);
    }
    report.print();
    return 0;
  }
}
