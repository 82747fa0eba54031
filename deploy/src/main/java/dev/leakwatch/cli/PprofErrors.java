package dev.leakwatch.cli;

import picocli.CommandLine;

/** How the {@code pprof} commands report failures: one line on stderr and exit code 2. */
final class PprofErrors {
  /** Exit code for input the commands cannot use. */
  static final int BAD_INPUT = 2;

  private PprofErrors() {}

  static int badInput(CommandLine.Model.CommandSpec spec, String message) {
    spec.commandLine().getErr().println("leakwatch pprof " + spec.name() + ": " + message);
    spec.commandLine().getErr().flush();
    return BAD_INPUT;
  }
}
