package dev.leakwatch.cli;

import dev.leakwatch.agent.config.AgentConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

  @Mixin AgentOptions options;

  @Override
  public Integer call() {
    return AgentCommand.run(spec, options, AgentConfig::pushOnly, "gateway");
  }
}
