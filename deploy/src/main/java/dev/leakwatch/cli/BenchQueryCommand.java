package dev.leakwatch.cli;

import dev.leakwatch.bench.BenchProfiles;
import dev.leakwatch.bench.QueryBench;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code leakwatch bench query}: how long the query API takes to answer, over real HTTP on
 * localhost, once the production processor has filled its stores with a fleet's hours of captures.
 * Prints p50/p99 latency and answer bytes per endpoint, with what each call read.
 */
@Command(name = "query", mixinStandardHelpOptions = true,
    description = "Query API latency and answer size over a filled processor (local broker, real HTTP).")
public final class BenchQueryCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin BenchOptions options;
  @Mixin RigOptions rig;

  @Option(names = "--profiles", paramLabel = "SET",
      description = "profile set the fleet replays: sites-300, sites-1200, sites-4800, typical (default: ${DEFAULT-VALUE})")
  String set = "sites-300";

  @Option(names = "--services", defaultValue = "10", description = "services of the fleet (default: ${DEFAULT-VALUE})")
  int services;

  @Option(names = "--instances", defaultValue = "1000",
      description = "instances of the fleet, round-robin over its services (default: ${DEFAULT-VALUE})")
  int instances;

  @Option(names = "--captures", defaultValue = "30",
      description = "heap captures per instance, at most 35 with leaking instances (default: ${DEFAULT-VALUE})")
  int captures;

  @Option(names = "--interval-seconds", defaultValue = "240",
      description = "capture time between an instance's captures, at most 600 (default: ${DEFAULT-VALUE})")
  long intervalSeconds;

  @Option(names = "--leaking-instances", defaultValue = "20",
      description = "instances of a service replaying the recorded heap leak (default: ${DEFAULT-VALUE})")
  int leakingInstances;

  @Option(names = "--calls", defaultValue = "20", description = "measured calls per endpoint, at most (default: ${DEFAULT-VALUE})")
  int calls;

  @Option(names = "--warmup-calls", defaultValue = "3",
      description = "unmeasured calls per endpoint first (default: ${DEFAULT-VALUE})")
  int warmupCalls;

  @Option(names = "--budget-seconds", defaultValue = "10",
      description = "time per endpoint for its measured calls; at least one call is made (default: ${DEFAULT-VALUE})")
  long budgetSeconds;

  @Option(names = "--max-backlog", defaultValue = "500",
      description = "records published but not yet processed, at most, while filling (default: ${DEFAULT-VALUE})")
  int maxBacklog;

  @Override
  public Integer call() {
    BenchLogging.quiet();
    BenchReport report = new BenchReport(spec.commandLine().getOut());
    report.machine();
    BenchProfiles profiles = BenchProfiles.load(options.testdata(), set);
    BenchProfiles leak = BenchProfiles.load(options.testdata(), BenchProfiles.LEAKING);
    QueryBench.Settings s = new QueryBench.Settings(services, instances, captures,
        Duration.ofSeconds(intervalSeconds), leakingInstances, rig.partitions, rig.processorHeap, rig.processorJavaOptions,
        calls, warmupCalls, Duration.ofSeconds(budgetSeconds), maxBacklog);
    PrintWriter out = spec.commandLine().getOut();
    report.query(set, s, QueryBench.run(profiles, leak, s, options.workDir(), BenchEndToEndCommand::processorCommand,
        line -> {
          out.println(line);
          out.flush();
        }));
    report.print();
    return 0;
  }
}
