package dev.leakwatch.cli;

import java.util.HashMap;
import java.util.Map;
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

  /** The client configuration: every {@code --property}, and the bootstrap servers. */
  Map<String, String> client() {
    Map<String, String> out = new HashMap<>(properties);
    out.put("bootstrap.servers", bootstrapServers);
    return out;
  }
}
