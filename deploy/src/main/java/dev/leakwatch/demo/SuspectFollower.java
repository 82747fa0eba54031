package dev.leakwatch.demo;

import dev.leakwatch.schemas.avro.LeakSuspect;
import dev.leakwatch.schemas.serde.LeakwatchSerdes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Follows the leak-suspect topic with {@code isolation.level=read_committed} (the processor writes
 * exactly once, in transactions) and hands each event to a sink. It reads every partition without
 * a consumer group, so it never disturbs other readers and commits nothing. A record that cannot
 * be decoded is reported (topic, partition, offset, reason) and skipped; it never stops the
 * follower. Waits for the topic if it does not exist yet (it is never auto-created from here).
 */
public final class SuspectFollower implements AutoCloseable {

  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration TOPIC_WAIT = Duration.ofSeconds(1);

  private final Map<String, Object> config;
  private final String topic;
  private final boolean fromBeginning;
  private final Consumer<LeakSuspect> sink;
  private final Consumer<String> problems;
  private final StopSignal stop = new StopSignal();
  private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
  private volatile KafkaConsumer<String, LeakSuspect> consumer;
  private Thread thread;

  /**
   * @param client consumer (and serde) properties; {@code bootstrap.servers} at least
   * @param fromBeginning read the topic from its start (else only new events)
   * @param sink receives each event, on the follower's thread
   * @param problems receives one message per record that could not be read, and when waiting for
   *     the topic
   */
  public SuspectFollower(Map<String, ?> client, String topic, boolean fromBeginning,
      Consumer<LeakSuspect> sink, Consumer<String> problems) {
    this.config = ReadCommittedSettings.of(client, "leakwatch-suspects");
    this.topic = topic;
    this.fromBeginning = fromBeginning;
    this.sink = sink;
    this.problems = problems;
  }

  /** Runs {@link #run()} on a daemon thread. */
  public SuspectFollower start() {
    thread = new Thread(this::run, "leakwatch-suspect-follower");
    thread.setDaemon(true);
    thread.start();
    return this;
  }

  /** Follows the topic on this thread until {@link #close()}. */
  public void run() {
    try (KafkaConsumer<String, LeakSuspect> c = new KafkaConsumer<>(config, new StringDeserializer(),
        LeakwatchSerdes.leakSuspect(config, false).deserializer())) {
      consumer = c;
      if (stop.stopped()) {
        return;
      }
      List<TopicPartition> parts = awaitPartitions(c);
      if (parts.isEmpty()) {
        return;
      }
      c.assign(parts);
      if (fromBeginning) {
        c.seekToBeginning(parts);
      } else {
        c.seekToEnd(parts);
      }
      while (!stop.stopped()) {
        pollOnce(c, parts);
      }
    } catch (WakeupException e) {
      // close() asked us to stop
    }
  }

  private List<TopicPartition> awaitPartitions(KafkaConsumer<String, LeakSuspect> c) {
    boolean told = false;
    while (!stop.stopped()) {
      List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(10)).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      if (!parts.isEmpty()) {
        return parts;
      }
      if (!told) {
        problems.accept("topic " + topic + " does not exist yet; waiting for it");
        told = true;
      }
      stop.await(TOPIC_WAIT);
    }
    return List.of();
  }

  private void pollOnce(KafkaConsumer<String, LeakSuspect> c, List<TopicPartition> parts) {
    try {
      for (ConsumerRecord<String, LeakSuspect> r : c.poll(POLL)) {
        if (stop.stopped()) {
          return;
        }
        sink.accept(r.value());
      }
    } catch (RecordDeserializationException e) {
      problems.accept("skipping unreadable record " + e.topicPartition() + "@" + e.offset() + ": "
          + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()));
      c.seek(e.topicPartition(), e.offset() + 1);
    }
    for (TopicPartition p : parts) {
      positions.put(p, c.position(p));
    }
  }

  /**
   * The next offset this follower will read per partition (read_committed: transaction markers
   * and aborted records are skipped); empty until it has polled once.
   */
  public Map<TopicPartition, Long> positions() {
    return Map.copyOf(positions);
  }

  /** Stops following and waits (up to 10 s) for the consumer to close. Idempotent. */
  @Override
  public void close() {
    stop.stop();
    KafkaConsumer<String, LeakSuspect> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    if (thread != null && thread != Thread.currentThread()) {
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
