package dev.leakwatch.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code ./leakwatch}: a picocli command whose subcommands are the product's verbs.
 *
 * <p>Subcommands are registered in {@link #commandLine()} so that every command, including those
 * added by later modules, shows up in {@code ./leakwatch --help}.
 */
@Command(
    name = "leakwatch",
    mixinStandardHelpOptions = true,
    versionProvider = LeakwatchCli.Version.class,
    description = "Continuous leak detection for fleets of Go services.",
    subcommandsRepeatable = false)
public final class LeakwatchCli implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Builds the command line with every subcommand registered. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new LeakwatchCli());
    // One line per subcommand; keep them in the order they read in --help.
    cl.addSubcommand(new NestedHelpCommand());
    cl.addSubcommand(new AgentCommand());
    cl.addSubcommand(new GatewayCommand());
    cl.addSubcommand(new KafkaCommand());
    cl.addSubcommand(new ProcessorCommand());
    cl.addSubcommand(new EvalCommand());
    cl.addSubcommand(new PprofCommand());
    cl.addSubcommand(new DemoCommand());
    cl.addSubcommand(new LocalCommand());
    cl.addSubcommand(new ReplayCommand());
    cl.addSubcommand(new SuspectsCommand());
    cl.addSubcommand(new DeadLettersCommand());
    cl.addSubcommand(new AlertsCommand());
    cl.addSubcommand(new BenchCommand());
    cl.setParameterExceptionHandler(new UsageErrors());
    return cl;
  }

  public static void main(String[] args) {
    JvmDefaults.apply();
    System.exit(commandLine().execute(args));
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Reports the version recorded in the jar manifest (or "dev" when run from classes). */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = LeakwatchCli.class.getPackage().getImplementationVersion();
      return new String[] {"leakwatch " + (v == null ? "dev" : v)};
    }
  }
}
