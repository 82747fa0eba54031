package dev.leakwatch.processor;

import dev.leakwatch.schemas.serde.SerdeConfig;
import dev.leakwatch.schemas.settings.PassThroughKeys;
import java.lang.reflect.Field;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Checks the keys of {@code streams.*} and {@code serde.*}, which go to Kafka Streams (and on to its
 * clients and internal topics) and to the serdes unchanged, against the names those define
 * ({@link PassThroughKeys}): a typo is refused with the closest name, an unknown {@code serde.*} key
 * too (only our serdes read that section); another unknown {@code streams.*} key may be a plugin's
 * own setting and is passed on with a warning. Keys listed under {@code customKeys} pass unchecked.
 */
final class PassThroughSettings {

  private PassThroughSettings() {}

  private static final String STREAMS_READERS = "Kafka Streams or its clients define";

  /** Kafka Streams' client prefixes, each with the names of the client it configures. */
  private static final Map<String, Collection<String>> CLIENT_PREFIXES = Map.of(
      StreamsConfig.PRODUCER_PREFIX, ProducerConfig.configNames(),
      StreamsConfig.CONSUMER_PREFIX, ConsumerConfig.configNames(),
      StreamsConfig.MAIN_CONSUMER_PREFIX, ConsumerConfig.configNames(),
      StreamsConfig.RESTORE_CONSUMER_PREFIX, ConsumerConfig.configNames(),
      StreamsConfig.GLOBAL_CONSUMER_PREFIX, ConsumerConfig.configNames(),
      StreamsConfig.ADMIN_CLIENT_PREFIX, AdminClientConfig.configNames(),
      StreamsConfig.TOPIC_PREFIX, topicConfigNames());

  private static final PassThroughKeys STREAMS = new PassThroughKeys("streams", streamsNames(),
      PassThroughSettings::dynamicStreamsName, false, STREAMS_READERS);

  private static final PassThroughKeys SERDE = new PassThroughKeys("serde",
      PassThroughKeys.named("serde", "", SerdeConfig.KEYS), name -> false, true, "Leakwatch's serdes read");

  /**
   * Refuses the first key that must not pass; else hands a one-line warning for each unknown key to
   * {@code warnings}.
   *
   * @param custom the file's {@code customKeys}: key paths under {@code streams} or {@code serde}
   */
  static void check(Map<String, Object> streams, Map<String, Object> serde, List<String> custom,
      Consumer<String> warnings) {
    String outside = PassThroughKeys.outside(custom, "streams", "serde");
    if (outside != null) {
      throw new ConfigError(PassThroughKeys.CUSTOM_KEYS, "'" + outside + "' is not a key under streams or serde");
    }
    Set<String> customSet = Set.copyOf(custom);
    List<PassThroughKeys.Finding> found = Stream.concat(STREAMS.check(streams.keySet(), customSet).stream(),
        SERDE.check(serde.keySet(), customSet).stream()).toList();
    // nothing is warned about in a configuration that is refused
    found.stream().filter(PassThroughKeys.Finding::refused).findFirst().ifPresent(f -> {
      throw new ConfigError(f.keyPath(), f.problem());
    });
    found.forEach(f -> warnings.accept(f.message()));
  }

  /**
   * Every name {@code streams.*} may hold, each with how to write it: Streams' own and its clients'
   * unprefixed (Streams hands those to every client), each client's under its prefix, topic configs
   * under {@code topic.}; a name another key of the file sets is written as that key, a serde's as
   * {@code serde.<name>}.
   */
  private static Map<String, String> streamsNames() {
    Set<String> unprefixed = new HashSet<>(StreamsConfig.configDef().names());
    unprefixed.addAll(ProducerConfig.configNames());
    unprefixed.addAll(ConsumerConfig.configNames());
    unprefixed.addAll(AdminClientConfig.configNames());
    Map<String, String> out = new HashMap<>(PassThroughKeys.named("streams", "", unprefixed));
    CLIENT_PREFIXES.forEach((prefix, names) -> out.putAll(PassThroughKeys.named("streams", prefix, names)));
    out.putAll(ProcessorConfig.OWNED_STREAMS_KEYS);
    SerdeConfig.KEYS.forEach(k -> out.put(k, "serde." + k));
    return out;
  }

  /** Names built from a prefix: a client's (under any client prefix) and Streams' client tags. */
  private static boolean dynamicStreamsName(String name) {
    if (name.startsWith(StreamsConfig.CLIENT_TAG_PREFIX) || PassThroughKeys.isDynamicClientName(name)) {
      return true;
    }
    return CLIENT_PREFIXES.keySet().stream().anyMatch(p -> !p.equals(StreamsConfig.TOPIC_PREFIX)
        && name.startsWith(p) && PassThroughKeys.isDynamicClientName(name.substring(p.length())));
  }

  /** The topic config names Kafka defines: {@link TopicConfig}'s {@code *_CONFIG} constants. */
  private static Set<String> topicConfigNames() {
    Set<String> names = new HashSet<>();
    for (Field f : TopicConfig.class.getFields()) {
      if (f.getName().endsWith("_CONFIG") && f.getType() == String.class) {
        try {
          names.add((String) f.get(null));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return names;
  }
}
