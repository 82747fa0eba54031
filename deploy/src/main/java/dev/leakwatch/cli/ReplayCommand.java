package dev.leakwatch.cli;

import dev.leakwatch.agent.config.Durations;
import dev.leakwatch.agent.config.KafkaSettings;
import dev.leakwatch.demo.ProgressPrinter;
import dev.leakwatch.demo.ReplayPlan;
import dev.leakwatch.demo.ReplayPublisher;
import dev.leakwatch.demo.ReplayResult;
import dev.leakwatch.demo.ReplayTiming;
import dev.leakwatch.topology.eval.CorpusReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./leakwatch replay --corpus DIR --bootstrap-servers HOST:PORT}: publishes every capture of
 * a recorded corpus as a {@code ProfileEnvelope} (source REPLAY), keyed and stamped as the agent
 * does. Exit codes: 0 when Kafka acknowledged every capture, 1 when some were rejected or not
 * acknowledged in time (or the run was stopped), 2 for bad input or a cluster that does not answer
 * within {@code --connect-timeout}.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = {
      "Publish a recorded profile corpus (<ID>_<service>/manifest.json + <instance>/<seq>-<type>.pb.gz) to Kafka"
          + " as ProfileEnvelopes with source REPLAY, keyed service/instance like the agent.",
      "Capture times keep their recorded spacing, shifted so that the last one is the moment it is published"
          + " (--keep-capture-times publishes them as recorded)."
    })
public final class ReplayCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--corpus", required = true, paramLabel = "DIR", description = "Corpus root.")
  Path corpus;

  @Mixin KafkaClientOptions kafka;

  @Option(names = "--topic", defaultValue = KafkaSettings.DEFAULT_TOPIC, description = "Default: ${DEFAULT-VALUE}.")
  String topic;

  @Option(names = "--speed", paramLabel = "FACTOR", defaultValue = "max", converter = CliValues.SpeedValue.class,
      description = "Pace relative to the recording, e.g. 1 (as recorded), 10; default: ${DEFAULT-VALUE} (no pacing).")
  double speed;

  @Option(names = "--keep-capture-times", description = "Publish the recorded capture times unchanged.")
  boolean keepCaptureTimes;

  @Option(names = "--memory-limit", paramLabel = "SIZE", converter = CliValues.SizeValue.class,
      description = "Memory limit written into every envelope (drives the OOM projection); default: none.")
  Long memoryLimit;

  @Option(names = "--partitions", defaultValue = "12",
      description = "Partitions if the topic has to be created (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(names = "--no-create-topic",
      description = "Do not create the topic when it is missing: exit 2 instead (checked before publishing).")
  boolean noCreateTopic;

  @Option(names = "--delivery-timeout", paramLabel = "DURATION", defaultValue = "60s",
      converter = CliValues.DurationValue.class,
      description = "How long any wait for Kafka's acknowledgements may last: after the last capture, and while"
          + " captures wait for earlier ones (default: ${DEFAULT-VALUE}).")
  Duration deliveryTimeout;

  @Override
  public Integer call() {
    ProcessorLogging.kafkaAt("warn");
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!Files.isDirectory(corpus)) {
      err.println("replay: corpus directory not found: " + corpus);
      return 2;
    }
    ReplayPlan plan;
    try {
      plan = ReplayPlan.of(CorpusReader.read(corpus));
    } catch (IllegalArgumentException | UncheckedIOException e) {
      err.println("replay: " + e.getMessage());
      return 2;
    }
    // --no-create-topic: a missing topic is refused here, or the first send would make a broker that
    // auto-creates topics create it with its own defaults (partitions, a 1 MB message limit)
    if (noCreateTopic ? !kafka.holds(err, "replay", topic) : !kafka.reachable(err, "replay")) {
      return 2;
    }
    ReplayPublisher publisher = new ReplayPublisher(new ReplayPublisher.Settings(topic, kafka.client(), !noCreateTopic,
        partitions, memoryLimit, "leakwatch-replay", deliveryTimeout));
    ReplayTiming timing = new ReplayTiming(speed, keepCaptureTimes);
    out.printf(Locale.ROOT, "replay: %d profiles of %d services (%d s recorded) to %s at %s, %s%n",
        plan.items().size(), plan.services().size(), plan.span().toSeconds(), topic, kafka.bootstrapServers,
        timing.paced() ? "at " + speed + "x speed" : "as fast as possible");
    out.flush();
    ReplayResult result;
    try {
      result = GracefulStop.run("leakwatch-replay-shutdown", publisher::stop,
          () -> publisher.run(plan, timing, new ProgressPrinter(out, Duration.ofSeconds(2))));
    } catch (IllegalArgumentException | UncheckedIOException e) {
      err.println("replay: " + e.getMessage());
      return 2;
    }
    out.printf(Locale.ROOT, "replay: %d of %d profiles acknowledged by Kafka; capture times %s%n",
        result.published(), result.total(), result.shiftMs() == 0 ? "as recorded"
            : "shifted by " + Duration.ofMillis(result.shiftMs()).toSeconds() + " s (first published as "
                + Instant.ofEpochMilli(plan.firstMs() + result.shiftMs()) + ")");
    out.flush();
    if (result.complete()) {
      return 0;
    }
    err.printf(Locale.ROOT, "replay: incomplete: %d acknowledged, %d rejected by Kafka, %d not acknowledged within %s,"
        + " %d not sent%s%n", result.published(), result.failed(), result.undelivered(),
        Durations.format(deliveryTimeout), result.total() - result.offered(),
        result.stalled() ? " (Kafka acknowledged nothing for " + Durations.format(deliveryTimeout) + "; gave up)"
            : result.stopped() ? " (stopped)" : "");
    return 1;
  }
}
