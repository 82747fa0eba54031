package dev.leakwatch.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * The command line run in-process as {@code ./leakwatch ARGS} would run, with what it prints to
 * standard output and error captured (accumulated over the runs of one instance).
 */
final class CliRun {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  /** Runs {@code args}; returns the exit code. */
  int run(String... args) {
    CommandLine cl = LeakwatchCli.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  /** Everything printed to standard output so far. */
  String out() {
    return out.toString();
  }

  /** Everything printed to standard error so far. */
  String err() {
    return err.toString();
  }
}
