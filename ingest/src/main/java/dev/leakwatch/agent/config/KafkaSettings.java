package dev.leakwatch.agent.config;

import dev.leakwatch.schemas.serde.SerdeConfig;
import dev.leakwatch.schemas.settings.PassThroughKeys;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.ProducerConfig;

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

  /**
   * The names {@code kafka.client} may hold: the producer's (the admin client that sets up the topic
   * gets a subset of them) and the serde's; an unknown key within a typo of one is refused, any other
   * is passed on with a warning (a plugin's own setting, e.g. an interceptor's).
   */
  private static final PassThroughKeys CLIENT_KEYS = new PassThroughKeys("kafka.client", clientNames(),
      PassThroughKeys::isDynamicClientName, false, "the Kafka producer or Leakwatch's serde define");

  private static Map<String, String> clientNames() {
    Map<String, String> names = new HashMap<>(PassThroughKeys.named("kafka.client", "", ProducerConfig.configNames()));
    names.putAll(PassThroughKeys.named("kafka.client", "", SerdeConfig.KEYS));
    return names;
  }

  /**
   * @param custom the file's {@code customKeys}: key paths under {@code kafka.client} checked by no one
   * @param warnings gets one line for each unknown {@code kafka.client} key unless one is refused
   */
  static KafkaSettings parse(ConfigNode n, List<String> custom, Consumer<String> warnings) {
    n.rejectUnknownKeys(
        Set.of(
            "topic", "client", "createTopic", "partitions", "replicationFactor", "maxInFlight"));
    Map<String, String> client = n.stringMap("client");
    String outside = PassThroughKeys.outside(custom, n.path() + ".client");
    if (outside != null) {
      throw new ConfigException(
          PassThroughKeys.CUSTOM_KEYS + ": '" + outside + "' is not a key under " + n.path() + ".client");
    }
    List<PassThroughKeys.Finding> found = CLIENT_KEYS.check(client.keySet(), Set.copyOf(custom));
    // nothing is warned about in a configuration that is refused
    found.stream().filter(PassThroughKeys.Finding::refused).findFirst().ifPresent(f -> {
      throw new ConfigException(f.message());
    });
    found.forEach(f -> warnings.accept(f.message()));
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
