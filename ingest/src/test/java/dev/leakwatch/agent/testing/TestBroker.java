package dev.leakwatch.agent.testing;

import dev.leakwatch.schemas.avro.ProfileEnvelope;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
