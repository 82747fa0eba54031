package dev.leakwatch.cli;

import dev.leakwatch.demo.LocalRunner;
import dev.leakwatch.demo.LocalSession;
import dev.leakwatch.processor.ProcessorConfig;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./leakwatch local --targets FILE}: a local broker, the processor and an agent scraping the
 * Go services listed in FILE. Exit codes: 0 after {@code --duration}, the JVM's 130 / 143 after
 * Ctrl-C / SIGTERM (everything stopped and cleaned up first), 1 when the broker
 * or the processor failed, 2 for bad input (targets file, configuration) or a port that is taken.
 */
@Command(name = "local", mixinStandardHelpOptions = true,
    description = {
      "Start a local Kafka broker, the processor and an agent that scrapes the Go services listed in a targets"
          + " file (re-read when it changes); print leak suspects as they are found. Ctrl-C stops everything.",
      "Targets file: a YAML list of {service, url | urls, instance, interval, timeout, memoryLimit, labels},"
          + " see docs/INGEST.md."
    })
public final class LocalCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin LocalStackOptions stack;

  @Option(names = "--targets", required = true, paramLabel = "FILE", description = "Targets file (YAML or JSON list).")
  Path targets;

  @Option(names = "--scrape-interval", paramLabel = "DURATION", defaultValue = "10s",
      converter = CliValues.DurationValue.class,
      description = "Scrape interval of targets that set none (default: ${DEFAULT-VALUE}).")
  Duration scrapeInterval;

  @Override
  public Integer call() {
    ProcessorLogging.kafkaAt("error");
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!Files.isRegularFile(targets)) {
      err.println("local: targets file not found: " + targets);
      return 2;
    }
    ProcessorConfig processor = stack.processorConfig(err, "local", "{}");
    if (processor == null) {
      return 2;
    }
    LocalRunner runner = new LocalRunner(new LocalRunner.Settings(targets, scrapeInterval, stack.duration,
        LocalStackOptions.workBase("local"), processor, stack.apiPort(processor)), out, err);
    return LocalStackOptions.run("local", err, runner::stop,
        () -> runner.run() == LocalSession.Ending.FAILED ? 1 : 0);
  }
}
