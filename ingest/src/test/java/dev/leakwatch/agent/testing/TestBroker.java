package dev.leakwatch.agent.testing;

import dev.leakwatch.schemas.avro.ProfileEnvelope;
import dev.leakwatch.schemas.serde.LeakwatchSerdes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/** A real single-node KRaft broker in this JVM (Kafka's own test kit), and a reader for its topics. */
public final class TestBroker implements AutoCloseable {
  private final KafkaClusterTestKit kit;
  private boolean closed;

  private TestBroker(KafkaClusterTestKit kit) {
    this.kit = kit;
  }

  /** Formats and starts a combined broker+controller node; returns once it serves clients. */
  public static TestBroker start() throws Exception {
    KafkaClusterTestKit kit =
        new KafkaClusterTestKit.Builder(
                new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build())
            .setConfigProp("auto.create.topics.enable", "false")
            .build();
    kit.format();
    kit.startup();
    kit.waitForReadyBrokers();
    return new TestBroker(kit);
  }

  public String bootstrapServers() {
    return kit.bootstrapServers();
  }

  /**
   * Every record currently in {@code topic}, read from the beginning up to the end offsets seen at
   * the call.
   */
  public List<ConsumerRecord<String, ProfileEnvelope>> readAll(String topic) {
    Map<String, Object> cfg = new HashMap<>();
    cfg.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    cfg.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    cfg.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 32 << 20);
    try (KafkaConsumer<String, ProfileEnvelope> consumer =
        new KafkaConsumer<>(
            cfg,
            new StringDeserializer(),
            LeakwatchSerdes.profileEnvelope(Map.of(), false).deserializer())) {
      List<TopicPartition> parts =
          consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .collect(Collectors.toList());
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      Map<TopicPartition, Long> end = consumer.endOffsets(parts);
      List<ConsumerRecord<String, ProfileEnvelope>> out = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (parts.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("could not read " + topic + " to its end offsets " + end);
        }
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
      return out;
    }
  }

  @Override
  public void close() throws Exception {
    if (!closed) {
      closed = true;
      kit.close();
    }
  }
}
