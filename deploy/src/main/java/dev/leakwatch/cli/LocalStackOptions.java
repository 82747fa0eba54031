package dev.leakwatch.cli;

import dev.leakwatch.processor.ConfigError;
import dev.leakwatch.processor.ProcessorConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Options shared by {@code demo} and {@code local}, which both run a broker and a processor locally. */
public final class LocalStackOptions {

  @Option(names = "--duration", paramLabel = "DURATION", converter = CliValues.DurationValue.class,
      description = "Stop after this long (seconds, or e.g. 2m) and exit 0; default: run until Ctrl-C.")
  Duration duration;

  @Option(names = "--api-port", paramLabel = "PORT", defaultValue = "8080",
      description = "Port of the query API on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0: a free one).")
  int apiPort;

  @Option(names = "--config", paramLabel = "FILE",
      description = "processor.yaml for the processor (detection settings, topics); its bootstrapServers and "
          + "stateDir are replaced by the local ones. Default: built-in defaults.")
  Path config;

  /** The processor configuration to run, or null after printing why it is unusable. */
  ProcessorConfig processorConfig(PrintWriter err, String command) {
    try {
      return config == null ? ProcessorConfig.parse("{}") : ProcessorConfig.load(config);
    } catch (ConfigError e) {
      err.println(command + ": bad configuration " + config + ": " + e.getMessage());
      return null;
    }
  }

  /** Where the run's scratch directory goes. */
  static Path workBase(String command) {
    return LeakwatchHome.localData(command);
  }
}
