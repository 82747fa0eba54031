package dev.leakwatch.bench;

import dev.leakwatch.agent.publish.ProducerSettings;
import dev.leakwatch.pprof.DecodeLimits;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes profile envelopes as the agent does (the agent's producer settings: idempotent, {@code
 * acks=all}, zstd, 20 ms linger) and tells a {@link LatencyTracker} when each record was sent, keyed
 * by its {@code topic/partition/offset} once the broker acknowledged it.
 */
final class Publisher implements AutoCloseable {

  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;
  private final LatencyTracker audit;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong acked = new AtomicLong();
  private final AtomicReference<Exception> failure = new AtomicReference<>();

  Publisher(String bootstrapServers, String topic, LatencyTracker audit) {
    Map<String, Object> config = ProducerSettings.build(DecodeLimits.defaults().maxCompressedBytes(),
        "leakwatch-bench", Map.of());
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    this.producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    this.topic = topic;
    this.audit = audit;
  }

  /** Sends one record; {@code sendNanos} is when it counts as published. */
  void send(byte[] key, byte[] value, long sendNanos) {
    boolean counted = audit.measuring();
    sent.incrementAndGet();
    producer.send(new ProducerRecord<>(topic, key, value), (md, e) -> {
      if (e != null) {
        failure.compareAndSet(null, e);
        return;
      }
      acked.incrementAndGet();
      audit.published(topic + "/" + md.partition() + "/" + md.offset(), sendNanos, counted);
    });
  }

  long sent() {
    return sent.get();
  }

  long acked() {
    return acked.get();
  }

  /** @throws IllegalStateException when a send failed */
  void check() {
    Exception e = failure.get();
    if (e != null) {
      throw new IllegalStateException("publishing failed: " + e, e);
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}
