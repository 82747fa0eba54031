package dev.leakwatch.processor;

import dev.leakwatch.detect.DetectionPolicy;
import dev.leakwatch.http.ApiSettings;
import dev.leakwatch.schemas.settings.KafkaClientChecks;
import dev.leakwatch.topology.LeakwatchTopology;
import dev.leakwatch.topology.TopologyConfig;
import dev.leakwatch.topology.TopologyObserver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * What {@code processor --check} verifies: everything the processor's start checks before it
 * reaches out, without reaching out. A configuration that passes starts, unless something only the
 * network or the host can refuse stops it (Kafka unreachable, refusing the credentials or the
 * topics, the HTTP port taken, the state directory not writable).
 *
 * <p>Loading the file (the caller's part) has already checked every key, the detection rules as the
 * running processor's reload checks them, and the HTTP tokens file. This adds the Kafka Streams
 * settings as Kafka Streams and its clients parse them (types, ranges, enum values of
 * {@code streams.*}, {@code producer.*}, {@code consumer.*}, {@code admin.*}), each client's
 * bootstrap addresses, TLS stores and JAAS entry as building it checks them
 * ({@link KafkaClientChecks}), and the building of the topology itself.
 */
public final class ProcessorCheck {

  private ProcessorCheck() {}

  /**
   * Checks {@code config} as above and describes what the processor would run, one line per
   * aspect, then one per per-service rule.
   *
   * @throws org.apache.kafka.common.KafkaException when Kafka refuses a setting, with its message
   */
  public static List<String> summary(ProcessorConfig config) {
    Properties props = new Properties();
    props.putAll(config.streams());
    props.putAll(LeakwatchTopology.streamsSettings(config.topology(), TopologyObserver.NONE));
    StreamsConfig streams = new StreamsConfig(props);
    // Kafka Streams hands its clients byte-array serdes as objects, not as settings
    KafkaClientChecks.check(new ProducerConfig(withSerdes(streams.getProducerConfigs("check"),
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
        ByteArraySerializer.class)));
    KafkaClientChecks.check(new ConsumerConfig(withSerdes(streams.getMainConsumerConfigs("check", "check", 0),
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
        ByteArrayDeserializer.class)));
    KafkaClientChecks.check(new ConsumerConfig(withSerdes(streams.getRestoreConsumerConfigs("check"),
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
        ByteArrayDeserializer.class)));
    KafkaClientChecks.check(new AdminClientConfig(streams.getAdminConfigs("check")));
    LeakwatchTopology.topology(config.topology());

    TopologyConfig t = config.topology();
    ApiSettings http = config.http();
    DetectionPolicy policy = t.detectionPolicy();
    List<String> lines = new ArrayList<>();
    lines.add("application " + streams.getString(StreamsConfig.APPLICATION_ID_CONFIG) + " at "
        + String.join(",", streams.getList(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG)) + " (not contacted), "
        + streams.getInt(StreamsConfig.NUM_STREAM_THREADS_CONFIG) + " stream thread(s), "
        + streams.getInt(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG) + " standby replica(s), state in "
        + streams.getString(StreamsConfig.STATE_DIR_CONFIG));
    lines.add("topics: reads " + t.profilesTopic() + ", writes " + t.suspectsTopic() + ", "
        + t.deadLetterTopic() + (t.auditTopic() == null ? "" : ", " + t.auditTopic())
        + (config.topics().create()
            ? "; creates missing ones with " + config.topics().partitions() + " partitions"
            : "; expects them to exist"));
    lines.add("query API: " + http.host() + ":" + http.port()
        + (http.tokens().isEmpty() ? ", no token: answers anyone who reaches it" : ", "
            + http.tokens().size() + " token(s)"));
    lines.add("detection rules: digest " + policy.digest() + " (as leakwatch_detection_rules_info shows it), "
        + policy.rules().size() + " per-service rule(s), "
        + (config.rules().watched() ? "re-read every " + TopicBootstrap.seconds(config.rules().interval())
            : "not re-read while running"));
    policy.rules().forEach(r -> lines.add(policy.describe(r)));
    return lines;
  }

  private static Map<String, Object> withSerdes(Map<String, Object> client, String key, String value, Class<?> c) {
    Map<String, Object> out = new HashMap<>(client);
    out.put(key, c);
    out.put(value, c);
    return out;
  }
}
