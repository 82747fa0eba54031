package dev.leakwatch.cli;

import dev.leakwatch.demo.ReadCommittedSettings;
import dev.leakwatch.demo.StopSignal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the dead-letter topic as raw bytes ({@code read_committed}: the processor writes dead letters
 * in its transactions), every partition, without a consumer group (it commits nothing and disturbs no
 * other reader), and never creates the topic.
 *
 * <p>Where it starts: the end (only new letters), the beginning, an offset per partition, or the first
 * record at or after {@code since}. Bounded, it stops at the end offsets seen when it started, so it
 * never reads what was written after (a redrive's own letters that fail again); else it follows until
 * {@link #close()}.
 */
final class DeadLetterReader implements AutoCloseable {

  private static final Duration POLL = Duration.ofMillis(200);

  /** Where to start reading; {@code offsets} maps a partition (-1: every partition) to its first offset. */
  record Start(boolean fromBeginning, Map<Integer, Long> offsets, Instant since) {
    boolean given() {
      return fromBeginning || !offsets.isEmpty() || since != null;
    }
  }

  private final Map<String, Object> config;
  private final String topic;
  private final StopSignal stop = new StopSignal();
  private volatile KafkaConsumer<byte[], byte[]> consumer;
  private volatile Map<TopicPartition, Long> positions = Map.of();

  DeadLetterReader(Map<String, String> client, String topic) {
    this.config = ReadCommittedSettings.of(client, "leakwatch-dead-letters");
    this.topic = topic;
  }

  /**
   * Hands each dead letter from {@code start} to {@code sink} on this thread, until the sink returns
   * false, {@link #close()}, or with {@code bounded} until every partition reaches the end offset it had
   * when reading started.
   */
  void run(Start start, boolean bounded, Predicate<ConsumerRecord<byte[], byte[]>> sink) {
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      consumer = c;
      if (stop.stopped()) {
        return;
      }
      List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      c.assign(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      seek(c, parts, start);
      Map<TopicPartition, Long> next = new HashMap<>();
      parts.forEach(p -> next.put(p, bounded ? Math.min(c.position(p), end.get(p)) : c.position(p)));
      positions = next;
      while (!stop.stopped() && !(bounded && reached(c, parts, end))) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(POLL)) {
          TopicPartition p = new TopicPartition(r.topic(), r.partition());
          if (stop.stopped() || bounded && r.offset() >= end.get(p)) {
            continue;
          }
          next.put(p, r.offset() + 1);
          if (!sink.test(r)) {
            stop.stop();
          }
        }
      }
      if (bounded && !stop.stopped() && reached(c, parts, end)) {
        // past the last record: also past any transaction marker or aborted record before the end
        parts.forEach(p -> next.put(p, end.get(p)));
      }
    } catch (WakeupException e) {
      // close() asked us to stop
    }
  }

  /**
   * Per partition, the offset after the last dead letter handed to the sink (where reading started when
   * none was), or the end offset when a bounded read reached it: where a later run starts to take only
   * what this one did not. Empty before reading started.
   */
  Map<TopicPartition, Long> positions() {
    return positions;
  }

  private static boolean reached(KafkaConsumer<byte[], byte[]> c, List<TopicPartition> parts,
      Map<TopicPartition, Long> end) {
    return parts.stream().allMatch(p -> c.position(p) >= end.get(p));
  }

  private static void seek(KafkaConsumer<byte[], byte[]> c, List<TopicPartition> parts, Start start) {
    if (start.since() != null) {
      Map<TopicPartition, Long> at = new HashMap<>();
      parts.forEach(p -> at.put(p, start.since().toEpochMilli()));
      Map<TopicPartition, OffsetAndTimestamp> found = c.offsetsForTimes(at);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      // no record at or after the time: nothing to read there
      parts.forEach(p -> c.seek(p, found.get(p) == null ? end.get(p) : found.get(p).offset()));
    } else if (!start.offsets().isEmpty()) {
      Map<TopicPartition, Long> first = c.beginningOffsets(parts);
      for (TopicPartition p : parts) {
        Long offset = start.offsets().getOrDefault(p.partition(), start.offsets().get(-1));
        if (offset == null) {
          c.seekToEnd(List.of(p));
        } else {
          c.seek(p, Math.max(offset, first.get(p)));
        }
      }
    } else if (start.fromBeginning()) {
      c.seekToBeginning(parts);
    } else {
      c.seekToEnd(parts);
    }
  }

  /** Stops reading; safe from any thread. Idempotent. */
  @Override
  public void close() {
    stop.stop();
    KafkaConsumer<byte[], byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
  }
}
