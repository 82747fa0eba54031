package dev.leakwatch.cli;

import dev.leakwatch.local.LocalKafka;
import dev.leakwatch.local.LocalKafkaException;
import dev.leakwatch.local.LocalKafkaSettings;
import dev.leakwatch.local.PortUnavailableException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code leakwatch kafka}: a single-node KRaft broker for local use, until Ctrl-C. Exit codes: the
 * JVM's 130 / 143 after Ctrl-C / SIGTERM (the shutdown hook stops the broker first), 1 when the broker fails to
 * start or exits, 2 when one of its ports is taken or not a usable port (outside 1..65535, both the same).
 */
@Command(
    name = "kafka",
    mixinStandardHelpOptions = true,
    subcommands = KafkaTailCommand.class,
    description = {
      "Run a single-node Kafka broker (KRaft, broker+controller) from the project's own"
          + " dependencies, print its bootstrap address, and stop it cleanly on Ctrl-C.",
      "Data persists in --data-dir between runs (default: .leakwatch/kafka in the repository)."
    })
public final class KafkaCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Broker data directory.")
  Path dataDir;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Listen/advertise address (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "9092", description = "Client port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--controller-port",
      defaultValue = "9093",
      description = "KRaft controller port, fixed when the directory is formatted (default: ${DEFAULT-VALUE}).")
  int controllerPort;

  /** The default data directory: {@code $LEAKWATCH_HOME/.leakwatch/kafka}, else under the current directory. */
  static Path defaultDataDir() {
    return LeakwatchHome.localData("kafka");
  }

  /** Why the ports cannot be a broker's: out of range (0 would be advertised as is), or the same port twice. */
  private Optional<String> badPorts() {
    if (port < 1 || port > 65535) {
      return Optional.of("--port " + port + " is outside [1, 65535]");
    }
    if (controllerPort < 1 || controllerPort > 65535) {
      return Optional.of("--controller-port " + controllerPort + " is outside [1, 65535]");
    }
    return port == controllerPort
        ? Optional.of("--port and --controller-port must differ (both " + port + ")") : Optional.empty();
  }

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Optional<String> badPorts = badPorts();
    if (badPorts.isPresent()) {
      err.println("leakwatch kafka: " + badPorts.get());
      return 2;
    }
    LocalKafkaSettings settings =
        new LocalKafkaSettings(
            dataDir != null ? dataDir : defaultDataDir(), host, port, controllerPort,
            Duration.ofSeconds(90), Map.of());
    out.println("starting Kafka in " + settings.dataDir() + " ...");
    out.flush();
    LocalKafka kafka;
    try {
      kafka = LocalKafka.start(settings);
    } catch (PortUnavailableException e) {
      err.println("leakwatch kafka: " + e.getMessage());
      return 2;
    } catch (LocalKafkaException e) {
      err.println("leakwatch kafka: " + e.getMessage());
      return 1;
    }
    AtomicBoolean stopping = new AtomicBoolean();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stopping.set(true);
                  kafka.close();
                },
                "leakwatch-kafka-shutdown"));
    out.println("Kafka is ready. bootstrap.servers=" + kafka.bootstrapServers());
    out.println("Broker log: " + settings.dataDir().resolve("broker.log") + " (Ctrl-C to stop)");
    out.flush();
    int code = kafka.waitFor();
    if (stopping.get()) {
      // stopped by a signal: the JVM exits with its own 130 / 143 once the hook is done, not with this
      return 0;
    }
    err.println("leakwatch kafka: the broker exited with code " + code + "; see its log");
    return 1;
  }
}
