package dev.leakwatch.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Options of the commands that talk to a Kafka cluster directly: where, and any client setting. */
public final class KafkaClientOptions {

  @Option(names = "--bootstrap-servers", defaultValue = "127.0.0.1:9092", paramLabel = "HOST:PORT[,...]",
      description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}, the broker of ./leakwatch kafka).")
  String bootstrapServers;

  @Option(names = "--property", paramLabel = "KEY=VALUE",
      description = "Kafka client or serde property (security.protocol, ssl.*, sasl.*, schema.registry.url...)."
          + " Repeatable.")
  Map<String, String> properties = new HashMap<>();

  @Option(names = "--connect-timeout", paramLabel = "DURATION", defaultValue = "10s",
      converter = CliValues.DurationValue.class,
      description = "How long Kafka may take to answer before the command gives up (default: ${DEFAULT-VALUE}).")
  Duration connectTimeout;

  /**
   * Whether the cluster answers within {@code --connect-timeout} (see {@link KafkaReach}); when not,
   * says why on {@code err} as {@code command: cannot reach Kafka at ...}. Also keeps the clients'
   * "could not connect", which would repeat every second, out of the log: the check says it once.
   */
  boolean reachable(PrintWriter err, String command) {
    quietConnectionWarnings();
    return reported(err, command, KafkaReach.problem(client(), connectTimeout));
  }

  /** As {@link #reachable}, and the cluster holds {@code topic} (else {@code command: no topic ...}). */
  boolean holds(PrintWriter err, String command, String topic) {
    quietConnectionWarnings();
    return reported(err, command, KafkaReach.missingTopic(client(), topic, connectTimeout));
  }

  private static void quietConnectionWarnings() {
    ProcessorLogging.loggerAt("org.apache.kafka.clients.NetworkClient", "error");
  }

  private static boolean reported(PrintWriter err, String command, Optional<String> problem) {
    problem.ifPresent(p -> err.println(command + ": " + p));
    return problem.isEmpty();
  }

  /** The client configuration: every {@code --property}, and the bootstrap servers. */
  Map<String, String> client() {
    Map<String, String> out = new HashMap<>(properties);
    out.put("bootstrap.servers", bootstrapServers);
    return out;
  }
}
