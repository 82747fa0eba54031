package dev.leakwatch.cli;

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

  /** Empty when the cluster answers within {@code --connect-timeout}, else why not (see {@link KafkaReach}). */
  Optional<String> unreachable() {
    return KafkaReach.problem(client(), connectTimeout);
  }

  /** The client configuration: every {@code --property}, and the bootstrap servers. */
  Map<String, String> client() {
    Map<String, String> out = new HashMap<>(properties);
    out.put("bootstrap.servers", bootstrapServers);
    return out;
  }
}
