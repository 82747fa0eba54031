package dev.leakwatch.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code leakwatch pprof}: reads Go pprof profiles with Leakwatch's own codec, printing what {@code
 * go tool pprof -top} prints, and merging or diffing files.
 *
 * <p>Exit codes: 0 success, 2 bad input (an undecodable file, incompatible profiles, a bad option)
 * with the reason on stderr, 1 an I/O failure writing output.
 */
@Command(
    name = "pprof",
    mixinStandardHelpOptions = true,
    versionProvider = LeakwatchCli.Version.class,
    description = "Inspect Go pprof profiles: top, diff, merge.",
    subcommands = {PprofTopCommand.class, PprofDiffCommand.class, PprofMergeCommand.class})
public final class PprofCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
