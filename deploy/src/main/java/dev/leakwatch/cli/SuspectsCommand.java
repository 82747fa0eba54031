package dev.leakwatch.cli;

import dev.leakwatch.demo.SuspectFollower;
import dev.leakwatch.demo.SuspectLine;
import dev.leakwatch.topology.TopologyNames;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./leakwatch suspects --bootstrap-servers HOST:PORT}: follows the leak-suspect topic
 * ({@code read_committed}) and prints one line per event until Ctrl-C or {@code --max} events.
 * Exit codes: 0 after {@code --max} events, the JVM's 130 / 143 after Ctrl-C / SIGTERM, 2 when the cluster does not answer
 * within {@code --connect-timeout}.
 */
@Command(name = "suspects", mixinStandardHelpOptions = true,
    description = {
      "Follow the leak-suspect topic and print each event on one line: capture time, status, service, kind,"
          + " blamed site, growth rate, current value, instances, projected OOM.",
      "Reads committed events only (the processor writes them exactly once, in transactions)."
    })
public final class SuspectsCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin KafkaClientOptions kafka;

  @Option(names = "--topic", defaultValue = TopologyNames.SUSPECTS_TOPIC, description = "Default: ${DEFAULT-VALUE}.")
  String topic;

  @Option(names = "--from-beginning", description = "Print the events already on the topic first.")
  boolean fromBeginning;

  @Option(names = "--max", paramLabel = "N", defaultValue = "-1",
      description = "Exit after N events (default: follow until Ctrl-C).")
  long max;

  @Override
  public Integer call() {
    ProcessorLogging.kafkaAt("warn");
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!kafka.reachable(err, "suspects")) {
      return 2;
    }
    AtomicLong seen = new AtomicLong();
    AtomicReference<SuspectFollower> self = new AtomicReference<>();
    SuspectFollower follower = new SuspectFollower(kafka.client(), topic, fromBeginning, e -> {
      out.println(SuspectLine.format(e));
      out.flush();
      if (seen.incrementAndGet() == max) {
        self.get().close();
      }
    }, problem -> {
      err.println("suspects: " + problem);
      err.flush();
    });
    self.set(follower);
    if (max == 0) {
      return 0;
    }
    GracefulStop.run("leakwatch-suspects-shutdown", follower::close, () -> {
      follower.run();
      return null;
    });
    return 0;
  }
}
