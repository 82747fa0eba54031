package dev.leakwatch.bench;

import dev.leakwatch.schemas.avro.LeakSuspect;
import dev.leakwatch.schemas.serde.LeakwatchSerdes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Reads the processor's outputs as they are committed ({@code read_committed}: with exactly_once_v2
 * an output is visible only once its transaction commits, which is when it is really processed) and
 * reports each to a {@link LatencyTracker}: audit records by their input's {@code
 * topic/partition/offset}, suspect events by {@link #suspectKey service and triggering capture time}.
 */
final class Watcher implements AutoCloseable {

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String auditTopic;
  private final LatencyTracker audit;
  private final LatencyTracker suspects;
  private final Deserializer<LeakSuspect> suspectReader;
  private final AtomicLong processed = new AtomicLong();
  private final AtomicLong suspectEvents = new AtomicLong();
  private final Thread thread;
  private volatile RuntimeException failure;

  Watcher(String bootstrapServers, String auditTopic, String suspectsTopic, int partitions,
      LatencyTracker audit, LatencyTracker suspects) {
    this.consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
        new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> tps = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      tps.add(new TopicPartition(auditTopic, p));
      tps.add(new TopicPartition(suspectsTopic, p));
    }
    consumer.assign(tps);
    consumer.seekToBeginning(tps);
    this.auditTopic = auditTopic;
    this.audit = audit;
    this.suspects = suspects;
    this.suspectReader = LeakwatchSerdes.leakSuspect(Map.of(), false).deserializer();
    this.thread = new Thread(this::loop, "leakwatch-bench-watcher");
    thread.setDaemon(true);
    thread.start();
  }

  /** The key a suspect event is matched by: its service and the capture time that triggered it. */
  static String suspectKey(String service, long captureMs) {
    return service + "@" + captureMs;
  }

  /** Audit records seen so far: profiles processed. */
  long processed() {
    return processed.get();
  }

  /** Suspect events seen so far. */
  long suspectEvents() {
    return suspectEvents.get();
  }

  void check() {
    if (failure != null) {
      throw failure;
    }
  }

  private void loop() {
    try {
      while (true) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          long now = System.nanoTime();
          if (r.topic().equals(auditTopic)) {
            processed.incrementAndGet();
            audit.seen(new String(r.value(), java.nio.charset.StandardCharsets.UTF_8), now);
          } else {
            suspectEvents.incrementAndGet();
            LeakSuspect s = suspectReader.deserialize(r.topic(), r.value());
            suspects.seen(suspectKey(s.getService(), s.getDetectedAt().toEpochMilli()), now);
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      failure = e;
    } finally {
      consumer.close();
    }
  }

  @Override
  public void close() {
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
