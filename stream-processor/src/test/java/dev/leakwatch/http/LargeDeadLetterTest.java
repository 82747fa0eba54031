package dev.leakwatch.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.topology.DeadLetter;
import dev.leakwatch.topology.TopologyNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad input of any size the input topic takes goes to the dead-letter topic and the pipeline goes on:
 * on a real broker, whose default record limit (1 MB) would refuse a multi-megabyte dead letter and
 * stop the stream thread at that record, again after every restart.
 */
class LargeDeadLetterTest {

  private static final String TOKEN = "dlq-test-token";
  private static TwoProcessors run;

  @BeforeAll
  static void start() throws Exception {
    run = TwoProcessors.startSharingTheWork(TOKEN);
  }

  @AfterAll
  static void stop() throws Exception {
    if (run != null) {
      run.close();
    }
  }

  @Test
  void shouldDeadLetterAMultiMegabyteBadRecordAndGoOn() throws Exception {
    byte[] garbage = new byte[3 << 20]; // not Avro: stage avro, the value kept in the dead letter
    garbage[0] = 0x7f;
    long now = System.currentTimeMillis();
    byte[] good = TwoProcessors.benchHeapEnvelope("dlq-svc", "i1", 0, now);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, run.cluster.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 << 20), new ByteArraySerializer(), new ByteArraySerializer())) {
      byte[] key = "dlq-svc/i1".getBytes(StandardCharsets.UTF_8);
      producer.send(new ProducerRecord<>(TopologyNames.PROFILES_TOPIC, 0, now, key, garbage)).get(30, TimeUnit.SECONDS);
      producer.send(new ProducerRecord<>(TopologyNames.PROFILES_TOPIC, 0, now, key, good)).get(30, TimeUnit.SECONDS);
    }

    List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
    List<ConsumerRecord<byte[], byte[]>> audited = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, run.cluster.bootstrapServers(),
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.GROUP_ID_CONFIG, "large-dead-letter-test",
        ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 32 << 20),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(TopologyNames.DEAD_LETTER_TOPIC, TopologyNames.AUDIT_TOPIC));
      await().atMost(Duration.ofSeconds(90)).until(() -> {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          (r.topic().equals(TopologyNames.DEAD_LETTER_TOPIC) ? dead : audited).add(r);
        }
        return !dead.isEmpty() && !audited.isEmpty();
      });
    }
    assertEquals(1, dead.size());
    assertEquals(garbage.length, dead.get(0).value().length, "the bad record, whole, in the dead-letter topic");
    assertNotNull(dead.get(0).headers().lastHeader(DeadLetter.REASON));
    assertEquals(1, audited.size(), "the good record after it was processed");
    assertTrue(run.a.state() == KafkaStreams.State.RUNNING && run.b.state() == KafkaStreams.State.RUNNING,
        "both processors still running");
  }
}
