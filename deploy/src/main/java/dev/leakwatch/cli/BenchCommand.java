package dev.leakwatch.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code leakwatch bench}: the pipeline's benchmarks (docs/PERFORMANCE.md has the results and the
 * exact commands). Each subcommand prints Markdown table rows; none is part of {@code mvnw verify}.
 * The decode micro-benchmark is JMH, in the {@code bench} module.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks: topology, end-to-end, memory/state, scaling, queries (see docs/PERFORMANCE.md).",
    subcommands = {BenchTopologyCommand.class, BenchEndToEndCommand.class, BenchStateCommand.class,
        BenchScalingCommand.class, BenchQueryCommand.class})
public final class BenchCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
