package dev.leakwatch.agent.testing;

import dev.leakwatch.schemas.avro.ProfileEnvelope;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/** A real single-node KRaft broker in this JVM (Kafka's own test kit), and a reader for its topics. */
public final class TestBroker implements AutoCloseable {
  private final KafkaClusterTestKit kit;
  private boolean closed;

  private TestBroker(KafkaClusterTestKit kit) {
    this.kit = kit;
  }

  /**
   * Formats and starts a combined broker+controller node that does not create topics on its own;
   * returns once it serves clients.
   */
  public static TestBroker start() throws Exception {
    return start(false);
  }

  /**
   * As {@link #start()}; with {@code autoCreateTopics}, a client asking for a missing topic makes
   * the broker create it with its defaults (one partition here), as Kafka does by default.
   */
  public static TestBroker start(boolean autoCreateTopics) throws Exception {
    KafkaClusterTestKit kit =
        new KafkaClusterTestKit.Builder(
                new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build())
            .setConfigProp("auto.create.topics.enable", Boolean.toString(autoCreateTopics))
            .setConfigProp("num.partitions", "1")
            // one broker: the internal topics of groups and transactions cannot be replicated
            .setConfigProp("offsets.topic.replication.factor", "1")
            .setConfigProp("transaction.state.log.replication.factor", "1")
            .setConfigProp("transaction.state.log.min.isr", "1")
            .build();
    kit.format();
    kit.startup();
    kit.waitForReadyBrokers();
    return new TestBroker(kit);
  }

  public String bootstrapServers() {
    return kit.bootstrapServers();
  }

  /** Whether {@code topic} exists now. */
  public boolean hasTopic(String topic) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
      return admin.listTopics().names().get().contains(topic);
    }
  }

  /** Creates {@code topic} with {@code partitions} partitions and the broker's other defaults. */
  public void createTopic(String topic, int partitions) throws Exception {
    createTopic(topic, partitions, Map.of());
  }

  /** Creates {@code topic} with {@code partitions} partitions and the topic settings {@code configs}. */
  public void createTopic(String topic, int partitions, Map<String, String> configs) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
      admin.createTopics(Set.of(new NewTopic(topic, partitions, (short) 1).configs(configs))).all().get();
    }
  }

  /** {@code topic}'s partition count and its {@code max.message.bytes}. */
  public TopicShape shape(String topic) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
      int partitions =
          admin.describeTopics(Set.of(topic)).allTopicNames().get().get(topic).partitions().size();
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      String maxMessageBytes =
          admin.describeConfigs(Set.of(resource)).all().get().get(resource)
              .get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value();
      return new TopicShape(partitions, Long.parseLong(maxMessageBytes));
    }
  }

  /** What {@link #shape} found. */
  public record TopicShape(int partitions, long maxMessageBytes) {}

  /** Every record currently in {@code topic} (see {@link TopicReader#readAll}). */
  public List<ConsumerRecord<String, ProfileEnvelope>> readAll(String topic) {
    return TopicReader.readAll(bootstrapServers(), topic);
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      try {
        kit.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        throw new IllegalStateException("test broker did not close cleanly", e);
      }
    }
  }
}
