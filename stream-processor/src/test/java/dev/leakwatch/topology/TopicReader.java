package dev.leakwatch.topology;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a whole topic from the beginning with {@code isolation.level=read_committed}, so aborted
 * transactions (a killed processor's) are never seen; accumulates what it has read.
 */
public final class TopicReader implements AutoCloseable {

  /** One record read. */
  public record Read(String topic, int partition, long offset, byte[] valueBytes, Headers headers) {
    public String value() {
      return new String(valueBytes, StandardCharsets.UTF_8);
    }
  }

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final List<Read> records = new ArrayList<>();

  public TopicReader(String bootstrap, String topic) {
    consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    // a topic created a moment ago may not be in the metadata yet
    List<TopicPartition> partitions = List.of();
    for (long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        partitions.isEmpty() && System.nanoTime() < deadline; ) {
      partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5)).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
    }
    if (partitions.isEmpty()) {
      consumer.close();
      throw new IllegalStateException("topic " + topic + " has no partitions after 30 s");
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  /** Reads what has arrived since the last call; returns everything read so far. */
  public List<Read> poll() {
    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
      records.add(new Read(r.topic(), r.partition(), r.offset(), r.value(), r.headers()));
    }
    return List.copyOf(records);
  }

  /**
   * Reads until every partition's position reaches its end as read_committed sees it (the last
   * stable offset: a transaction still open, e.g. a killed processor's, ends the read where it
   * begins); returns everything read so far. Unlike {@link #poll()}, an empty fetch does not end it.
   *
   * @throws IllegalStateException when the end is not reached within 60 s
   */
  public List<Read> pollToEnd() {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!atEnd()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("did not read to the end of " + consumer.assignment() + " within 60 s");
      }
      poll();
    }
    return List.copyOf(records);
  }

  private boolean atEnd() {
    Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment(), Duration.ofSeconds(10));
    return ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey(), Duration.ofSeconds(10)) >= e.getValue());
  }

  /** Everything read so far, without reading more. */
  public List<Read> records() {
    return List.copyOf(records);
  }

  @Override
  public void close() {
    consumer.close();
  }
}
