package dev.leakwatch.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How a {@link LocalKafka} broker runs.
 *
 * @param dataDir where the broker keeps its configuration, logs and data; formatted on first use
 *     and reused afterwards (topics and records survive restarts)
 * @param host the address clients connect to and the broker binds (default 127.0.0.1)
 * @param port the client (PLAINTEXT) port, default 9092
 * @param controllerPort the KRaft controller port, default 9093; fixed once the directory is
 *     formatted (it is part of the stored voter set)
 * @param startTimeout how long {@link LocalKafka#start} waits for the broker to answer
 * @param brokerProperties extra {@code server.properties} entries, overriding the defaults
 */
public record LocalKafkaSettings(
    Path dataDir,
    String host,
    int port,
    int controllerPort,
    Duration startTimeout,
    Map<String, String> brokerProperties) {

  public static final int DEFAULT_PORT = 9092;
  public static final int DEFAULT_CONTROLLER_PORT = 9093;

  public LocalKafkaSettings {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(host, "host");
    brokerProperties = Map.copyOf(brokerProperties);
  }

  /** Defaults: 127.0.0.1:9092, controller 9093, 60 s start timeout. */
  public static LocalKafkaSettings defaults(Path dataDir) {
    return new LocalKafkaSettings(
        dataDir, "127.0.0.1", DEFAULT_PORT, DEFAULT_CONTROLLER_PORT, Duration.ofSeconds(60), Map.of());
  }

  /** {@code host:port}, what clients put in {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return host + ":" + port;
  }
}
