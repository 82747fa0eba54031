package dev.leakwatch.demo;

import dev.leakwatch.agent.buffer.ProfileBuffer;
import dev.leakwatch.agent.metrics.AgentMetrics;
import dev.leakwatch.agent.model.Envelopes;
import dev.leakwatch.agent.publish.KafkaPublisher;
import dev.leakwatch.agent.publish.ProducerSettings;
import dev.leakwatch.agent.publish.TopicSetup;
import dev.leakwatch.schemas.avro.ProfileEnvelope;
import dev.leakwatch.schemas.serde.LeakwatchSerdes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes a {@link ReplayPlan} to Kafka as {@code ProfileEnvelope}s with source {@code REPLAY},
 * through the agent's own publishing path: the same key ({@code service/instance}), record
 * timestamp (the capture time), producer defaults, topic set-up, bounded buffer and retry on
 * transient failures. The buffer never evicts here: when it is full the replay waits, so every
 * capture is published once, unless Kafka settles (acknowledges or rejects) nothing for the
 * delivery grace while captures wait for room: then the replay gives up ({@link
 * ReplayResult#stalled()}) instead of waiting for a cluster that does not answer.
 *
 * <p>Single use: {@link #run} once; {@link #stop} (from any thread) ends it early.
 */
public final class ReplayPublisher {

  /** Largest profile file replayed: the agent's default {@code scrape.maxBodySize}. */
  public static final long MAX_PROFILE_BYTES = 16L << 20;
  private static final Duration BACKPRESSURE_WAIT = Duration.ofMillis(10);
  private static final Duration STOPPED_GRACE = Duration.ofSeconds(5);
  private static final Duration TOPIC_SETUP_TIMEOUT = Duration.ofSeconds(15);

  /**
   * Where and how to publish.
   *
   * @param topic destination topic
   * @param client producer (and serde) properties; {@code bootstrap.servers} is required; they
   *     override the agent's producer defaults
   * @param createTopic create the topic when missing (as the agent does)
   * @param partitions partitions of a created topic
   * @param memoryLimitBytes memory limit written into every envelope (drives the OOM projection),
   *     or null for none
   * @param agentId written into every envelope's {@code agent} field
   * @param deliveryGrace how long any wait for Kafka's acknowledgements may last: after the last
   *     capture, and while captures wait for room (no acknowledgement for this long ends the
   *     replay); also the producer's {@code max.block.ms} unless {@code client} sets it
   */
  public record Settings(String topic, Map<String, String> client, boolean createTopic, int partitions,
      Long memoryLimitBytes, String agentId, Duration deliveryGrace) {

    public Settings {
      Objects.requireNonNull(topic, "topic");
      client = Map.copyOf(client);
      if (!client.containsKey("bootstrap.servers")) {
        throw new IllegalArgumentException("bootstrap.servers is required");
      }
      Objects.requireNonNull(agentId, "agentId");
      Objects.requireNonNull(deliveryGrace, "deliveryGrace");
    }
  }

  private final Settings settings;
  private final StopSignal stop = new StopSignal();

  public ReplayPublisher(Settings settings) {
    this.settings = settings;
  }

  /** Ends {@link #run} early: no further capture is offered; what was offered gets a short grace. */
  public void stop() {
    stop.stop();
  }

  /**
   * Publishes every capture of {@code plan}, paced and stamped by {@code timing}, and waits for
   * Kafka's acknowledgements (at most {@link Settings#deliveryGrace()} after the last capture, and
   * gives up early when none came for that long while captures waited for room).
   *
   * @param progress told after each capture is offered (on this thread)
   * @throws UncheckedIOException when a profile file cannot be read
   * @throws IllegalArgumentException when a profile file exceeds {@link #MAX_PROFILE_BYTES}
   */
  public ReplayResult run(ReplayPlan plan, ReplayTiming timing, Consumer<ReplayProgress> progress) {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AgentMetrics metrics = new AgentMetrics(registry);
    ProfileBuffer buffer = new ProfileBuffer(1_000, 4 * MAX_PROFILE_BYTES);
    KafkaPublisher publisher = startPublisher(buffer, metrics);
    long startNanos = System.nanoTime();
    long shift = timing.shiftMs(plan.firstMs(), plan.span().toMillis(), System.currentTimeMillis());
    long offered = 0;
    AckDeadline deadline = new AckDeadline(settings.deliveryGrace(), () -> settled(metrics));
    boolean stalled = false;
    try {
      for (ReplayPlan.Item item : plan.items()) {
        if (stop.awaitUntil(startNanos + timing.wallOffsetNanos(item.recordedMs() - plan.firstMs()))) {
          break;
        }
        Instant captureTime = Instant.ofEpochMilli(item.recordedMs() + shift);
        ProfileEnvelope envelope = Envelopes.replayed(item.target(), item.kind(), captureTime,
            settings.memoryLimitBytes(), read(item), settings.agentId());
        Offer outcome = offer(buffer, item.target().recordKey(), envelope, deadline);
        if (outcome != Offer.TAKEN) {
          stalled = outcome == Offer.STALLED;
          break;
        }
        offered++;
        progress.accept(new ReplayProgress(offered, plan.items().size(),
            (long) metrics.total("leakwatch.agent.published"), captureTime));
      }
    } finally {
      // stalled: Kafka has already had the whole grace to answer
      publisher.close(stalled ? Duration.ZERO : stop.stopped() ? STOPPED_GRACE : settings.deliveryGrace());
      registry.close();
    }
    return new ReplayResult(plan.items().size(), offered, (long) metrics.total("leakwatch.agent.published"),
        (long) metrics.total("leakwatch.agent.publish.failures"), shift, stop.stopped(), stalled);
  }

  private enum Offer { TAKEN, STOPPED, STALLED }

  /** Waits for room in the buffer (Kafka sets the pace) until stopped or {@code deadline} expires. */
  private Offer offer(ProfileBuffer buffer, String key, ProfileEnvelope envelope, AckDeadline deadline) {
    while (!buffer.tryOffer(key, envelope)) {
      if (stop.await(BACKPRESSURE_WAIT)) {
        return Offer.STOPPED;
      }
      if (deadline.expired()) {
        return Offer.STALLED;
      }
    }
    return Offer.TAKEN;
  }

  private static long settled(AgentMetrics metrics) {
    return (long) (metrics.total("leakwatch.agent.published") + metrics.total("leakwatch.agent.publish.failures"));
  }

  private KafkaPublisher startPublisher(ProfileBuffer buffer, AgentMetrics metrics) {
    Map<String, String> client = new HashMap<>(settings.client());
    // One request in flight per broker: a replay starts at full speed, often on a topic it has just
    // created, and a first batch refused while the new leader settles must not be overtaken by the
    // next ones (the broker would then refuse its retry as out of sequence until delivery.timeout.ms).
    client.putIfAbsent(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
    // A send waiting for metadata of an unreachable cluster must not outlast the delivery grace.
    client.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(settings.deliveryGrace().toMillis()));
    Map<String, Object> props = ProducerSettings.build(MAX_PROFILE_BYTES, settings.agentId(), client);
    // asked again until the topic exists, as the agent does
    BooleanSupplier setup = TopicSetup.gate(props, new TopicSetup.Plan(settings.topic(), settings.createTopic(),
        settings.partitions(), (short) -1, ProducerSettings.requiredMaxMessageBytes(MAX_PROFILE_BYTES),
        TOPIC_SETUP_TIMEOUT));
    KafkaProducer<String, ProfileEnvelope> producer = new KafkaProducer<>(props, new StringSerializer(),
        LeakwatchSerdes.profileEnvelope(new HashMap<>(props), false).serializer());
    KafkaPublisher publisher = new KafkaPublisher(producer, settings.topic(), buffer, metrics,
        MAX_PROFILE_BYTES, setup);
    publisher.start();
    return publisher;
  }

  private static byte[] read(ReplayPlan.Item item) {
    try {
      long size = Files.size(item.file());
      if (size > MAX_PROFILE_BYTES) {
        throw new IllegalArgumentException(item.file() + ": " + size + " bytes exceeds the replay limit of "
            + MAX_PROFILE_BYTES + " bytes (the agent's default scrape.maxBodySize)");
      }
      return Files.readAllBytes(item.file());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + item.file() + ": " + e.getMessage(), e);
    }
  }
}
