package dev.leakwatch.agent.publish;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.agent.Agent;
import dev.leakwatch.agent.buffer.ProfileBuffer;
import dev.leakwatch.agent.metrics.AgentMetrics;
import dev.leakwatch.agent.model.ProfileKind;
import dev.leakwatch.agent.testing.Fixtures;
import dev.leakwatch.agent.testing.Http;
import dev.leakwatch.agent.testing.TestConfigs;
import dev.leakwatch.schemas.avro.IngestSource;
import dev.leakwatch.schemas.avro.ProfileEnvelope;
import dev.leakwatch.schemas.avro.ProfileType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RoundRobinPartitioner;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Publishing while Kafka cannot be reached: profiles stay in the buffer and are retried, never
 * dropped while there is room. The tests on a {@link MockProducer} hold sends unanswered, which
 * no real broker does on demand, to reach the states where the in-flight bound is exhausted.
 */
class KafkaPublisherTest {
  /** Room in flight for exactly one {@link #profile} at a time. */
  private static final long ONE_PROFILE = 1024;

  /**
   * A producer that answers no send until the test says so, and fails what it still holds when
   * closed, as {@code KafkaProducer.close} does once its timeout has passed.
   */
  private static final class HeldSends extends MockProducer<String, ProfileEnvelope> {
    HeldSends() {
      super(false, new RoundRobinPartitioner(), new StringSerializer(), (topic, e) -> new byte[0]);
    }

    @Override
    public void close(Duration timeout) {
      while (errorNext(new KafkaException("Producer is closed forcefully."))) {
        // each failed send reaches the publisher's callback
      }
      super.close(timeout);
    }

    /** Capture times (epoch seconds) of the sends so far, in the order they were made. */
    synchronized List<Long> sent() {
      return history().stream()
          .map(ProducerRecord::value)
          .map(e -> e.getCaptureTime().getEpochSecond())
          .collect(Collectors.toList());
    }
  }

  /** A 1 KiB profile of instance {@code s/i} captured at {@code second}. */
  private static ProfileEnvelope profile(long second) {
    return ProfileEnvelope.newBuilder()
        .setService("s")
        .setInstance("i")
        .setProfileType(ProfileType.HEAP)
        .setCaptureTime(Instant.ofEpochSecond(second))
        .setLabels(Map.of())
        .setSource(IngestSource.PUSH)
        .setProfile(ByteBuffer.wrap(new byte[(int) ONE_PROFILE]))
        .build();
  }

  /**
   * Starts a publisher over a buffer holding profiles captured at seconds 1 and 2, and waits
   * until the first is with the producer (taking all the room) and the second waits for room.
   */
  private static KafkaPublisher holdingOneWaitingOne(HeldSends producer, ProfileBuffer buffer) {
    buffer.offerEvictingOldest("s/i", profile(1));
    buffer.offerEvictingOldest("s/i", profile(2));
    KafkaPublisher publisher =
        new KafkaPublisher(
            producer, "profiles", buffer, new AgentMetrics(new SimpleMeterRegistry()),
            ONE_PROFILE, () -> true);
    publisher.start();
    await().until(() -> producer.sent().size() == 1 && buffer.size() == 0);
    return publisher;
  }

  @Test
  void shouldCountTheProfileInHandWhenStoppedWhileWaitingForRoom() {
    HeldSends producer = new HeldSends();
    ProfileBuffer buffer = new ProfileBuffer(10, 1 << 20);
    KafkaPublisher publisher = holdingOneWaitingOne(producer, buffer);

    publisher.close(Duration.ZERO);

    assertEquals(
        2, buffer.dropped(), "the profile the producer held and the one waiting for room");
    assertEquals(2, buffer.accepted());
  }

  @Test
  void shouldResendAFailedProfileBeforeTheNewerOneWaitingForRoom() {
    HeldSends producer = new HeldSends();
    ProfileBuffer buffer = new ProfileBuffer(10, 1 << 20);
    KafkaPublisher publisher = holdingOneWaitingOne(producer, buffer);

    producer.errorNext(new TimeoutException("delivery timed out"));

    await().until(() -> producer.sent().size() == 2);
    assertEquals(List.of(1L, 1L), producer.sent(), "capture order survives the retry");
    publisher.close(Duration.ZERO);
  }

  /**
   * {@code leakwatch_agent_publish_inflight_bytes} is documented as the bytes handed to the producer and
   * not yet acknowledged: the recorded profiles' own sizes, not whole KiB, and a profile larger than
   * {@code kafka.maxInFlight} (which is sent alone) whole, not cut to the bound.
   */
  @Test
  void shouldReportTheProfileBytesTheProducerHoldsWhenTheyAreNoWholeKibibytes() {
    byte[] heap = Fixtures.profile(ProfileKind.HEAP);
    byte[] goroutine = Fixtures.profile(ProfileKind.GOROUTINE);
    HeldSends producer = new HeldSends();
    ProfileBuffer buffer = new ProfileBuffer(10, 1 << 24);
    buffer.offerEvictingOldest("s/i", profile(1, heap));
    buffer.offerEvictingOldest("s/i", profile(2, goroutine));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AgentMetrics metrics = new AgentMetrics(registry);
    KafkaPublisher publisher = new KafkaPublisher(producer, "profiles", buffer, metrics, 8L << 20, () -> true);
    metrics.bindInFlight(publisher::inFlightBytes);
    publisher.start();
    try {
      await().until(() -> producer.sent().size() == 2);
      assertEquals(heap.length + goroutine.length, inFlightGauge(registry), "both profiles, held unanswered");

      producer.completeNext();

      await().until(() -> inFlightGauge(registry) != heap.length + goroutine.length);
      assertEquals(goroutine.length, inFlightGauge(registry), "the heap profile was acknowledged");
    } finally {
      publisher.close(Duration.ZERO);
    }
  }

  @Test
  void shouldReportAProfileLargerThanTheInFlightBoundWholeWhenTheProducerHoldsIt() {
    byte[] heap = Fixtures.profile(ProfileKind.HEAP);
    HeldSends producer = new HeldSends();
    ProfileBuffer buffer = new ProfileBuffer(10, 1 << 24);
    buffer.offerEvictingOldest("s/i", profile(1, heap));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AgentMetrics metrics = new AgentMetrics(registry);
    KafkaPublisher publisher = new KafkaPublisher(producer, "profiles", buffer, metrics, ONE_PROFILE, () -> true);
    metrics.bindInFlight(publisher::inFlightBytes);
    publisher.start();
    try {
      await().until(() -> producer.sent().size() == 1);
      assertTrue(heap.length > ONE_PROFILE, "the recorded heap profile is larger than the bound");
      assertEquals(heap.length, inFlightGauge(registry));
    } finally {
      publisher.close(Duration.ZERO);
    }
  }

  private static double inFlightGauge(SimpleMeterRegistry registry) {
    return registry.get("leakwatch.agent.publish.inflight.bytes").gauge().value();
  }

  /** A recorded profile of instance {@code s/i} captured at {@code second}. */
  private static ProfileEnvelope profile(long second, byte[] body) {
    ProfileEnvelope e = profile(second);
    e.setProfile(ByteBuffer.wrap(body));
    return e;
  }

  @Test
  void shouldKeepProfilesBufferedWhileKafkaIsUnreachable() {
    byte[] heap = Fixtures.profile(ProfileKind.HEAP);
    try (Agent agent =
        Agent.start(
            TestConfigs.parse(
                TestConfigs.kafka(TestConfigs.unreachableBootstrap())
                    + "    max.block.ms: 100\n",
                Path.of(".")))) {
      Http http = new Http(agent.httpPort());
      for (int i = 0; i < 3; i++) {
        int status =
            http.send(
                    http.request("/ingest?service=s&instance=i" + i + "&type=heap")
                        .POST(BodyPublishers.ofByteArray(heap)))
                .statusCode();
        assertEquals(202, status);
      }

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> agent.metrics().total("leakwatch.agent.topic.checks") >= 1);

      assertEquals(3, agent.buffer().size());
      assertEquals(0.0, agent.metrics().total("leakwatch.agent.published"));
      assertEquals(0.0, agent.metrics().total("leakwatch.agent.publish.failures"));
      assertEquals(0, agent.buffer().dropped());
      assertEquals(3, agent.buffer().accepted());
    }
  }
}
