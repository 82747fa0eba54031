package dev.leakwatch.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/**
 * The definition of leakwatch_broker_unreachable_seconds, on a hand-driven clock and counters; and its
 * sampling, which a failed sample must not end.
 */
class BrokerContactTest {

  private final AtomicReference<KafkaStreams.State> state = new AtomicReference<>(KafkaStreams.State.CREATED);
  private final AtomicLong responses = new AtomicLong();
  private final AtomicLong nanos = new AtomicLong();
  private final BrokerContact contact = new BrokerContact(state::get, responses::get, nanos::get, null);

  private void pass(long seconds) {
    nanos.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
    contact.sample();
  }

  @Test
  void shouldCountFromTheStartWhenNoBrokerEverAnswers() {
    pass(100);
    assertEquals(0, contact.unreachableSeconds(), "not started: nothing to reach yet");
    state.set(KafkaStreams.State.REBALANCING);
    contact.sample();
    pass(14);
    assertEquals(0, contact.unreachableSeconds(), "within the grace");
    pass(1);
    assertEquals(15, contact.unreachableSeconds());
    pass(30);
    assertEquals(45, contact.unreachableSeconds());
  }

  @Test
  void shouldReturnToZeroOnTheFirstResponseAndCountAgainFromTheLast() {
    state.set(KafkaStreams.State.RUNNING);
    contact.sample();
    pass(20);
    assertEquals(20, contact.unreachableSeconds());
    responses.incrementAndGet();
    assertEquals(0, contact.unreachableSeconds());
    pass(16);
    assertEquals(16, contact.unreachableSeconds(), "silent again since that response");
  }

  @Test
  void shouldCountAFailedSampleAndGoOnSamplingWhenReadingTheCountersThrows() {
    state.set(KafkaStreams.State.RUNNING);
    AtomicLong reads = new AtomicLong();
    // the first two reads throw (a client's metric read as its client closes), later ones answer
    BrokerContact sampled = new BrokerContact(state::get, () -> {
      if (reads.incrementAndGet() <= 2) {
        throw new IllegalStateException("metric of a closed client");
      }
      return responses.get();
    }, System::nanoTime, Executors.newSingleThreadScheduledExecutor());
    try (BrokerContact c = sampled.startSampling()) {
      // sampled every second by the scheduler alone: a task that threw would never run again
      await().atMost(Duration.ofSeconds(30)).until(() -> reads.get() >= 4);
      assertEquals(2, c.sampleFailures());
      assertEquals(0, c.unreachableSeconds(), "counting from the first good sample");
    }
  }

  @Test
  void shouldReadZeroOnceKafkaStreamsStopsAndTakeNoSmallerSumForAResponse() {
    state.set(KafkaStreams.State.RUNNING);
    responses.set(50);
    contact.sample();
    pass(10);
    responses.set(40); // a client's counters gone
    pass(10);
    assertEquals(20, contact.unreachableSeconds());
    state.set(KafkaStreams.State.PENDING_SHUTDOWN);
    assertEquals(0, contact.unreachableSeconds());
  }
}
