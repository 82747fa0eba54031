package dev.leakwatch.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.IHelpCommandInitializable2;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code ./leakwatch help [COMMAND [SUBCOMMAND...]]}: the help of the command named by the whole
 * path ({@code help pprof top} shows {@code pprof top}'s help, not the {@code pprof} group's);
 * without a name, the top-level help. An unknown name is a usage error (exit code 2).
 */
@Command(name = "help", helpCommand = true,
    description = "Show the help of a command, e.g. help replay, help pprof top.")
final class NestedHelpCommand implements IHelpCommandInitializable2, Runnable {

  @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "The command (and subcommand) to explain.")
  String[] path = {};

  private CommandLine self;
  private Help.ColorScheme colors;
  private PrintWriter out;

  @Override
  public void init(CommandLine helpCommandLine, Help.ColorScheme colorScheme, PrintWriter outWriter,
      PrintWriter errWriter) {
    this.self = helpCommandLine;
    this.colors = colorScheme;
    this.out = outWriter;
  }

  @Override
  public void run() {
    CommandLine target = self.getParent();
    for (String name : path) {
      CommandLine sub = target.getSubcommands().get(name);
      if (sub == null) {
        throw new ParameterException(self, "Unknown command '" + String.join(" ", path) + "': '"
            + target.getCommandName() + "' has no subcommand '" + name + "'.");
      }
      target = sub;
    }
    target.usage(out, colors);
    out.flush();
  }
}
