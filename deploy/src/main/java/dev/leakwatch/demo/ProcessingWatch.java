package dev.leakwatch.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Tells whether a Kafka Streams application has processed everything currently in the topics it
 * reads: for every partition, no committed record lies between the group's committed offset and
 * the end. Offsets alone cannot tell, because under exactly-once the last entries of a partition
 * may be transaction markers, which are never "processed"; so the gap, if any, is read
 * ({@code read_committed}) to see whether it holds records.
 */
public final class ProcessingWatch implements AutoCloseable {

  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration GAP_READ_LIMIT = Duration.ofSeconds(5);

  private final Admin admin;
  private final KafkaConsumer<byte[], byte[]> reader;

  /** @param client connection properties ({@code bootstrap.servers}, security settings) */
  public ProcessingWatch(Map<String, ?> client) {
    this.admin = Admin.create(new HashMap<>(client));
    Map<String, Object> cfg = ReadCommittedSettings.of(client, null);
    cfg.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    this.reader = new KafkaConsumer<>(cfg, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /**
   * True when group {@code groupId} has processed every record of {@code topics}; false while it
   * has not, or when it cannot be told (a topic missing, the broker not answering in time).
   */
  public boolean caughtUp(String groupId, Collection<String> topics) {
    return orFalse(() -> {
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
          .partitionsToOffsetAndMetadata().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      Map<TopicPartition, Long> from = new HashMap<>();
      for (TopicPartition p : partitions(topics)) {
        OffsetAndMetadata c = committed.get(p);
        from.put(p, c == null ? 0L : c.offset());
      }
      return noRecordsBetween(from, endOffsets(from.keySet()));
    });
  }

  /**
   * True when a read_committed reader at {@code positions} has read every record of {@code
   * topic}'s partitions (a partition missing from {@code positions} counts as unread).
   */
  public boolean readToEnd(String topic, Map<TopicPartition, Long> positions) {
    return orFalse(() -> {
      Map<TopicPartition, Long> from = new HashMap<>();
      for (TopicPartition p : partitions(List.of(topic))) {
        from.put(p, positions.getOrDefault(p, 0L));
      }
      return noRecordsBetween(from, endOffsets(from.keySet()));
    });
  }

  /** A check against the cluster; "cannot tell" (no answer in time, a missing topic) is false. */
  private interface Check {
    boolean run() throws ExecutionException, InterruptedException, TimeoutException;
  }

  private static boolean orFalse(Check check) {
    try {
      return check.run();
    } catch (ExecutionException | TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private List<TopicPartition> partitions(Collection<String> topics)
      throws ExecutionException, InterruptedException, TimeoutException {
    Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames()
        .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    List<TopicPartition> out = new ArrayList<>();
    described.values().forEach(d -> d.partitions().forEach(p -> out.add(new TopicPartition(d.name(), p.partition()))));
    return out;
  }

  private Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> parts)
      throws ExecutionException, InterruptedException, TimeoutException {
    Map<TopicPartition, OffsetSpec> spec = new HashMap<>();
    parts.forEach(p -> spec.put(p, OffsetSpec.latest()));
    Map<TopicPartition, Long> out = new HashMap<>();
    admin.listOffsets(spec, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
        .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .forEach((p, info) -> out.put(p, info.offset()));
    return out;
  }

  /** Reads each gap [from, end) that is not empty; any record in it means "not yet". */
  private boolean noRecordsBetween(Map<TopicPartition, Long> from, Map<TopicPartition, Long> end) {
    List<TopicPartition> gaps = from.keySet().stream().filter(p -> from.get(p) < end.get(p)).toList();
    if (gaps.isEmpty()) {
      return true;
    }
    reader.assign(gaps);
    gaps.forEach(p -> reader.seek(p, from.get(p)));
    long deadline = System.nanoTime() + GAP_READ_LIMIT.toNanos();
    while (gaps.stream().anyMatch(p -> reader.position(p) < end.get(p))) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(100))) {
        if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
          return false;
        }
      }
    }
    return true;
  }

  @Override
  public void close() {
    reader.close();
    admin.close();
  }
}
