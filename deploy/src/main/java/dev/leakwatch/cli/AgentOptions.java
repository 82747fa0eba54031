package dev.leakwatch.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Options shared by {@code agent} and {@code gateway}: the configuration file, HTTP overrides and
 * {@code --check}.
 */
public final class AgentOptions {
  @Option(
      names = {"-c", "--config"},
      required = true,
      paramLabel = "FILE",
      description = "Agent configuration (YAML), e.g. deploy/agent.yaml.")
  Path config;

  @Option(names = "--http-host", paramLabel = "HOST", description = "Override http.host.")
  String httpHost;

  @Option(
      names = "--http-port",
      paramLabel = "PORT",
      converter = CliValues.PortValue.class,
      description = "Override http.port (0: any free port).")
  Integer httpPort;

  @Option(
      names = "--check",
      description =
          "Check the configuration and exit without starting: 0 and a summary of what would run, 2"
              + " and the reason the start would give. Contacts nothing (Kafka, targets, API server)"
              + " and binds no port.")
  boolean check;
}
