package dev.leakwatch.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options shared by {@code agent} and {@code gateway}: the configuration file and HTTP overrides. */
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
}
