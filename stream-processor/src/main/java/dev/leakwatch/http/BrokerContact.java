package dev.leakwatch.http;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How long this processor has gone without hearing from any broker: the value of
 * {@code leakwatch_broker_unreachable_seconds} and of {@code /readyz}'s {@code brokers} field.
 *
 * <p>Contract. While Kafka Streams is RUNNING or REBALANCING, the value is the whole seconds since
 * the later of (a) the last response any of the instance's Kafka clients (its consumers, producer
 * and admin client) received from a broker and (b) the moment Kafka Streams left CREATED, once that
 * reaches {@link #GRACE}; below it, and in every other state (not started yet, shutting down,
 * failed), the value is 0. Any response resets it to 0. So an instance that never reached a broker
 * counts from its start.
 *
 * <p>Why responses: the clients' summed {@code response-total} counters grow only when a broker
 * answers, whether the broker is stopped, refuses connections or is cut off by the network; a
 * connection to a broker cut off by the network stays open until a request times out, so {@code
 * connection-count} does not drop at once, and {@code last-poll-seconds-ago} measures the stream
 * threads' polls, which go on without a broker. A connected instance hears from the broker at
 * least every consumer heartbeat (3 s; 5 s under the streams group protocol) and every fetch wait
 * (0.5 s) while it owns partitions, so {@link #GRACE} is three of the longest of these intervals.
 *
 * <p>The counters are sampled every {@link #PERIOD} and at each read, so the value is exact to
 * about a second. A sample that throws (a client's metric read as its client closes) is logged and
 * counted ({@link #sampleFailures()}), and the value stays what the last good sample made it; the
 * sampling goes on (a scheduled task that throws is never run again, which would leave the value to
 * the reads alone). Thread-safe.
 */
final class BrokerContact implements AutoCloseable {

  /** Silence shorter than this reads 0: normal gaps between responses of a connected instance. */
  static final Duration GRACE = Duration.ofSeconds(15);
  static final Duration PERIOD = Duration.ofSeconds(1);
  private static final String RESPONSES = "response-total";
  private static final Logger LOG = LoggerFactory.getLogger(BrokerContact.class);

  private final Supplier<KafkaStreams.State> state;
  private final DoubleSupplier responses;
  private final LongSupplier nanoClock;
  private final ScheduledExecutorService sampler;
  private boolean counting;
  private double lastResponses;
  private long heardAtNanos;
  private final AtomicLong sampleFailures = new AtomicLong();
  private boolean lastSampleFailed;

  /** Watches {@code streams}' client metrics, sampling on a daemon thread until {@link #close()}. */
  static BrokerContact watch(KafkaStreams streams) {
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "leakwatch-broker-contact");
      t.setDaemon(true);
      return t;
    });
    return new BrokerContact(streams::state, () -> responsesReceived(streams), System::nanoTime, sampler)
        .startSampling();
  }

  /** Samples every {@link #PERIOD} on the sampler given to the constructor; returns this. */
  BrokerContact startSampling() {
    sampler.scheduleWithFixedDelay(this::sampleSafely, 0, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** @param sampler closed with this object; may be null when the caller samples by reading */
  BrokerContact(Supplier<KafkaStreams.State> state, DoubleSupplier responses, LongSupplier nanoClock,
      ScheduledExecutorService sampler) {
    this.state = state;
    this.responses = responses;
    this.nanoClock = nanoClock;
    this.sampler = sampler;
  }

  /** The seconds without a broker response, as the class comment defines them; 0 when fine. */
  synchronized long unreachableSeconds() {
    sampleSafely();
    if (!counting) {
      return 0;
    }
    long silent = TimeUnit.NANOSECONDS.toSeconds(nanoClock.getAsLong() - heardAtNanos);
    return silent >= GRACE.toSeconds() ? silent : 0;
  }

  /** Samples that threw since the start: {@code leakwatch_broker_contact_sample_failures_total}. */
  long sampleFailures() {
    return sampleFailures.get();
  }

  /** {@link #sample()}, a failure logged (once per run of failures) and counted instead of thrown. */
  synchronized void sampleSafely() {
    try {
      sample();
      lastSampleFailed = false;
    } catch (RuntimeException e) {
      long n = sampleFailures.incrementAndGet();
      if (!lastSampleFailed) {
        LOG.warn("broker contact: a sample failed ({} so far), the value stays the last sample's: {}", n,
            e.toString(), e);
      }
      lastSampleFailed = true;
    }
  }

  synchronized void sample() {
    KafkaStreams.State s = state.get();
    if (s != KafkaStreams.State.RUNNING && s != KafkaStreams.State.REBALANCING) {
      counting = false;
      return;
    }
    double now = responses.getAsDouble();
    if (!counting || now > lastResponses) {
      // entering RUNNING/REBALANCING starts the count; a new response restarts it
      counting = true;
      heardAtNanos = nanoClock.getAsLong();
    }
    // a smaller sum (a client's metrics gone with a replaced thread) is no response: only remembered
    lastResponses = now;
  }

  /**
   * Sum of every Kafka client's {@code response-total}: the client-wide ones only, since the
   * per-broker ones ({@code node-id} tag) come and go with connections.
   */
  private static double responsesReceived(KafkaStreams streams) {
    double sum = 0;
    for (var e : streams.metrics().entrySet()) {
      MetricName m = e.getKey();
      Metric metric = e.getValue();
      if (m.name().equals(RESPONSES) && !m.tags().containsKey("node-id") && metric.metricValue() instanceof Number n) {
        sum += n.doubleValue();
      }
    }
    return sum;
  }

  @Override
  public void close() {
    if (sampler != null) {
      sampler.shutdownNow();
    }
  }
}
