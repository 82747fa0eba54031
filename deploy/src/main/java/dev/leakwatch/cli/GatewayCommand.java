package dev.leakwatch.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code leakwatch gateway --config agent.yaml}: the push endpoint alone, for services that push
 * their profiles (or sit where nothing can scrape them). Same configuration file as the agent; its
 * targets and discovery are ignored.
 */
@Command(
    name = "gateway",
    mixinStandardHelpOptions = true,
    description = {
      "Accept pushed pprof profiles on POST /ingest and publish them to Kafka (no scraping).",
      "Uses the agent's configuration format; targets and discovery are ignored."
    })
public final class GatewayCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-c", "--config"},
      required = true,
      paramLabel = "FILE",
      description = "Configuration (YAML) in the agent's format.")
  Path config;

  @Option(names = "--http-host", paramLabel = "HOST", description = "Override http.host.")
  String httpHost;

  @Option(names = "--http-port", paramLabel = "PORT", description = "Override http.port.")
  Integer httpPort;

  @Override
  public Integer call() {
    return AgentCommand.run(spec, config, httpHost, httpPort, c -> c.pushOnly(), "gateway");
  }
}
