package dev.leakwatch.cli;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes dead letters back to the input topic: each qualifying letter's key, value, original
 * record timestamp ({@code leakwatch.dlq.source.timestamp}) and original headers (without {@code
 * leakwatch.dlq.*}), with an idempotent producer and {@code acks=all}. A letter qualifies only when it
 * holds an input of the target topic: its source topic is the target (a {@code processing} letter of a
 * per-service stage holds the repartitioned report instead) and it has a value (a {@code size} letter
 * has none). The others are counted by reason. Not thread-safe: one reader thread offers the letters.
 */
final class DeadLetterRedrive implements AutoCloseable {

  private final String target;
  private final KafkaProducer<byte[], byte[]> producer;
  private final Map<String, Long> skipped = new TreeMap<>();
  private final AtomicLong acknowledged = new AtomicLong();
  private final AtomicReference<String> firstFailure = new AtomicReference<>();
  private long sent;

  DeadLetterRedrive(Map<String, String> client, String target) {
    Map<String, Object> config = new HashMap<>(client);
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "leakwatch-dead-letters-redrive");
    // a dead letter holds an input of up to limits.maxEnvelopeBytes; the topic's own limit decides
    config.putIfAbsent(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 64 << 20);
    this.target = target;
    this.producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** Sends {@code letter} back to the target topic, or counts why it cannot go. */
  void offer(DeadLetterView letter) {
    String why = whyNot(letter);
    if (why != null) {
      skipped.merge(why, 1L, Long::sum);
      return;
    }
    sent++;
    producer.send(new ProducerRecord<>(target, null, letter.sourceTimestamp(), letter.record().key(),
        letter.record().value(), letter.originalHeaders()), (meta, e) -> {
          if (e == null) {
            acknowledged.incrementAndGet();
          } else {
            firstFailure.compareAndSet(null, e.getMessage());
          }
        });
  }

  /** Why {@code letter} does not qualify, or null when it does. */
  private String whyNot(DeadLetterView letter) {
    if (letter.stage() == null || letter.sourceTopic() == null) {
      return "not a Leakwatch dead letter (no leakwatch.dlq.stage or source topic header)";
    }
    if (!letter.sourceTopic().equals(target)) {
      return "processing".equals(letter.stage()) && letter.sourceTopic().endsWith("-repartition")
          ? "stage processing of a per-service stage: holds the repartitioned report, not an input"
          : "source topic " + letter.sourceTopic() + " is not " + target;
    }
    if (letter.record().value() == null) {
      return "stage " + letter.stage() + ": no value (over the size limit; the input stays at its source offset)";
    }
    if (letter.sourceTimestamp() == null) {
      return "no readable leakwatch.dlq.source.timestamp";
    }
    return null;
  }

  /** Waits until every send is acknowledged or failed. */
  void flush() {
    producer.flush();
  }

  long sent() {
    return sent;
  }

  long acknowledged() {
    return acknowledged.get();
  }

  long skippedCount() {
    return skipped.values().stream().mapToLong(Long::longValue).sum();
  }

  /** The first send failure's message, or null when none failed (so far). */
  String firstFailure() {
    return firstFailure.get();
  }

  /** {@code N reason; M reason}, in reason order; empty when nothing was skipped. */
  String skippedByReason() {
    StringBuilder b = new StringBuilder();
    skipped.forEach((why, n) -> b.append(b.isEmpty() ? "" : "; ").append(n).append(' ').append(why));
    return b.toString();
  }

  @Override
  public void close() {
    producer.close();
  }
}
