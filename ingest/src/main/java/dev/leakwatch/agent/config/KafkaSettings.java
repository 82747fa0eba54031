package dev.leakwatch.agent.config;

import java.util.Map;
import java.util.Set;

/**
 * Where and how profiles are published, from the {@code kafka:} section.
 *
 * @param topic destination topic (default {@code leakwatch.profiles})
 * @param client Kafka client properties passed to the producer and the value serde unchanged
 *     ({@code bootstrap.servers}, {@code security.protocol}, {@code ssl.*}, {@code sasl.*}, any
 *     producer setting, {@code schema.registry.url} ...); they override the agent's defaults
 * @param createTopic whether the agent creates the topic if it is missing (default true; a
 *     missing permission is logged, not fatal)
 * @param partitions partitions for a topic the agent creates (default 12)
 * @param replicationFactor replication factor for a topic the agent creates (default -1: the
 *     broker's {@code default.replication.factor})
 * @param maxInFlightBytes profile bytes handed to the producer and not yet acknowledged (default 8
 *     MiB); everything else waits in the agent's buffer, where its bound and drop policy apply
 */
public record KafkaSettings(
    String topic,
    Map<String, String> client,
    boolean createTopic,
    int partitions,
    short replicationFactor,
    long maxInFlightBytes) {

  public static final String DEFAULT_TOPIC = "leakwatch.profiles";

  public KafkaSettings {
    client = Map.copyOf(client);
  }

  static KafkaSettings parse(ConfigNode n) {
    n.rejectUnknownKeys(
        Set.of(
            "topic", "client", "createTopic", "partitions", "replicationFactor", "maxInFlight"));
    Map<String, String> client = n.stringMap("client");
    if (!client.containsKey("bootstrap.servers")) {
      throw new ConfigException(n.path() + ".client.bootstrap.servers: required");
    }
    return new KafkaSettings(
        n.string("topic", DEFAULT_TOPIC),
        client,
        n.bool("createTopic", true),
        n.integer("partitions", 12, 1, 10_000),
        (short) n.integer("replicationFactor", -1, -1, 100),
        n.bytes("maxInFlight", 8L << 20, 1024));
  }
}
