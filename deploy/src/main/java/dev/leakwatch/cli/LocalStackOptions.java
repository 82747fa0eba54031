package dev.leakwatch.cli;

import dev.leakwatch.agent.config.ConfigException;
import dev.leakwatch.demo.StoppedWhileStartingException;
import dev.leakwatch.local.LocalKafkaException;
import dev.leakwatch.local.PortUnavailableException;
import dev.leakwatch.processor.ConfigError;
import dev.leakwatch.processor.ProcessorConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/** Options shared by {@code demo} and {@code local}, which both run a broker and a processor locally. */
public final class LocalStackOptions {

  @Option(names = "--duration", paramLabel = "DURATION", converter = CliValues.DurationValue.class,
      description = "Stop after this long (seconds, or e.g. 2m) and exit 0; default: run until Ctrl-C.")
  Duration duration;

  @Option(names = "--api-port", paramLabel = "PORT", converter = CliValues.PortValue.class,
      description = "Port of the query API (default: http.port of --config, else 8080; 0: a free one).")
  Integer apiPort;

  @Option(names = "--config", paramLabel = "FILE",
      description = "processor.yaml for the processor (detection settings, topics, http); its bootstrapServers and "
          + "stateDir are replaced by the local ones. Default: built-in defaults (demo: 5 s windows).")
  Path config;

  /** The query API's port: {@code --api-port}, else the configuration's {@code http.port} (8080 by default). */
  int apiPort(ProcessorConfig processor) {
    return apiPort != null ? apiPort : processor.http().port();
  }

  /**
   * The processor configuration to run ({@code --config}, else {@code defaults}, YAML), or null
   * after printing why it is unusable.
   */
  ProcessorConfig processorConfig(PrintWriter err, String command, String defaults) {
    Optional<String> unreadable = config == null ? Optional.empty() : ConfigFiles.unreadable(config);
    if (unreadable.isPresent()) {
      err.println(command + ": " + unreadable.get());
      return null;
    }
    try {
      return config == null ? ProcessorConfig.parse(defaults) : ProcessorConfig.load(config);
    } catch (ConfigError e) {
      err.println(command + ": bad configuration " + config + ": " + e.getMessage());
      return null;
    }
  }

  /**
   * Runs {@code body} so that Ctrl-C stops it cleanly, mapping failures to exit codes: bad input
   * (corpus, targets file, configuration) or a port that is taken 2, a broker or processor that
   * cannot start 1; a stop while they start 0, as a stop of the running stack (after a signal the JVM
   * exits 130 / 143 whatever this returns).
   *
   * @param body returns the exit code of a run that ended normally
   */
  static int run(String command, PrintWriter err, Runnable stop, Supplier<Integer> body) {
    try {
      return GracefulStop.run("leakwatch-" + command + "-shutdown", stop, body);
    } catch (StoppedWhileStartingException e) {
      err.println(command + ": " + e.getMessage()); // asked for: exits as a stop of the running stack does
      return 0;
    } catch (IllegalArgumentException | ConfigException | PortUnavailableException e) {
      err.println(command + ": " + e.getMessage());
      return 2;
    } catch (LocalKafkaException | IllegalStateException e) {
      err.println(command + ": " + e.getMessage());
      return 1;
    }
  }

  /** Where the run's scratch directory goes. */
  static Path workBase(String command) {
    return LeakwatchHome.localData(command);
  }
}
