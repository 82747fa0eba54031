package dev.leakwatch.agent.publish;

import dev.leakwatch.agent.buffer.Pending;
import dev.leakwatch.agent.buffer.ProfileBuffer;
import dev.leakwatch.agent.metrics.AgentMetrics;
import dev.leakwatch.schemas.avro.ProfileEnvelope;
import dev.leakwatch.schemas.registry.SchemaRegistryException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves profiles from the {@link ProfileBuffer} to Kafka on one thread.
 *
 * <p>Only a bounded amount ({@code maxInFlightBytes}) is handed to the producer at a time; the
 * rest waits in the buffer, whose bound and drop policy therefore decide what happens during a
 * long outage. A send that fails transiently (broker unreachable, delivery timeout, leader change,
 * and also authentication/authorization and schema registry errors, which need time or an
 * operator rather than a drop) is put back in the buffer in its original order, ahead of anything
 * newer (a profile already taken and waiting for room goes back too), and sending pauses with
 * exponential backoff (0.5 s up to 30 s). A send that can never succeed (e.g. record too large)
 * is dropped, counted by reason and logged (the first of a kind, then a count a minute: {@link
 * RefusedSends}). So every profile is either acknowledged by Kafka, still buffered, or counted as dropped,
 * also when stopping interrupts the thread while it holds one.
 *
 * <p>Records are keyed {@code service/instance}; with an idempotent producer this keeps each
 * instance's profiles in order within its partition.
 */
public final class KafkaPublisher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaPublisher.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration MIN_PAUSE = Duration.ofMillis(500);
  private static final Duration MAX_PAUSE = Duration.ofSeconds(30);
  private static final int KIB = 1024;

  private final Producer<String, ProfileEnvelope> producer;
  private final String topic;
  private final ProfileBuffer buffer;
  private final AgentMetrics metrics;
  private final Semaphore inFlight;
  private final int inFlightPermits;
  /** Exact profile bytes of unsettled sends (the permits count whole KiB, capped: the bound, not the gauge). */
  private final AtomicLong inFlightBytes = new AtomicLong();
  private final Thread thread;
  /** The topic setup step (see the constructor) and its retries, on the publishing thread. */
  private final SetupRetry setup;
  private volatile boolean running = true;
  private final Object pauseLock = new Object();
  private long pauseUntilNanos;
  private Duration pause = MIN_PAUSE;
  private long transientFailures;
  private final RefusedSends refused = new RefusedSends();

  /**
   * @param maxInFlightBytes bound on profile bytes handed to the producer but not yet acknowledged
   * @param setup runs on the publishing thread before the first send (topic creation or check,
   *     {@link TopicSetup#gate}), so a slow or unreachable broker does not hold up the agent's
   *     start; it returns false while the topic is not known to exist (Kafka unreachable, the
   *     topic missing) and is then run again after a backoff (0.5 s doubling to 30 s). Nothing is
   *     sent until it returns true: a send to a missing topic would let a broker that
   *     auto-creates topics create it with its own defaults. Profiles wait in the buffer
   *     meanwhile (and are counted as dropped when it overflows). A setup that throws is logged
   *     and taken as done, so a defect in it cannot hold every profile back for good.
   */
  public KafkaPublisher(
      Producer<String, ProfileEnvelope> producer,
      String topic,
      ProfileBuffer buffer,
      AgentMetrics metrics,
      long maxInFlightBytes,
      BooleanSupplier setup) {
    this.producer = producer;
    this.topic = topic;
    this.buffer = buffer;
    this.metrics = metrics;
    this.inFlightPermits = (int) Math.max(1, Math.min(Integer.MAX_VALUE, maxInFlightBytes / KIB));
    this.inFlight = new Semaphore(inFlightPermits);
    this.setup = new SetupRetry(setup, MIN_PAUSE, MAX_PAUSE);
    this.thread = new Thread(this::run, "leakwatch-publisher");
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  /** Whether the setup has finished: the topic is known to exist and profiles are being sent. */
  public boolean topicReady() {
    return setup.done();
  }

  /** How often the setup has run (each run asks Kafka about the topic). */
  public long topicChecks() {
    return setup.runs();
  }

  /** Profile bytes handed to the producer and not yet acknowledged or failed. */
  public long inFlightBytes() {
    return inFlightBytes.get();
  }

  private void run() {
    while (running) {
      try {
        if (!setup.runIfDue()) {
          setup.awaitNext(POLL);
          continue;
        }
        waitWhilePaused();
        long failuresBefore = transientFailures();
        Pending p = buffer.poll(POLL);
        if (p == null) {
          continue;
        }
        int permits = permitsFor(p);
        try {
          inFlight.acquire(permits);
        } catch (InterruptedException e) {
          // stopping while this profile waited for room: back into the buffer, where close()
          // counts it as undelivered instead of losing it with this thread
          buffer.requeue(p);
          throw e;
        }
        if (transientFailures() != failuresBefore) {
          // a send failed while this profile waited for room; that older record is back in the
          // buffer ahead of it, so sending this one now would overtake it
          buffer.requeue(p);
          inFlight.release(permits);
          continue;
        }
        send(p, permits);
      } catch (InterruptedException | InterruptException e) {
        if (!running) {
          return;
        }
      }
    }
  }

  private void send(Pending p, int permits) {
    ProducerRecord<String, ProfileEnvelope> record =
        new ProducerRecord<>(
            topic, null, p.envelope().getCaptureTime().toEpochMilli(), p.key(), p.envelope());
    inFlightBytes.addAndGet(p.bytes());
    try {
      producer.send(record, (md, error) -> completed(p, permits, error));
    } catch (InterruptException e) {
      completed(p, permits, e);
      throw e;
    } catch (RuntimeException e) {
      completed(p, permits, e);
    }
  }

  /**
   * Settles a send. The room it held is freed last: a failed record must be back in the buffer,
   * and the pause set, before the publishing thread can send anything newer.
   */
  private void completed(Pending p, int permits, Exception error) {
    try {
      if (error == null) {
        metrics.published(p.bytes());
        synchronized (pauseLock) {
          pause = MIN_PAUSE;
        }
      } else if (isTransient(error) || !running) {
        // at shutdown the producer fails what it still holds: keep it so it is counted as
        // undelivered
        buffer.requeue(p);
        metrics.publishRetried();
        pauseAfter(error);
      } else {
        metrics.publishFailed(failureReason(error));
        refused.refused(p, error);
      }
    } finally {
      inFlightBytes.addAndGet(-p.bytes());
      inFlight.release(permits);
    }
  }

  /** The metric's reason for a permanent failure (the log line names the exception itself). */
  static String failureReason(Exception e) {
    if (e instanceof RecordTooLargeException) {
      return "record_too_large";
    }
    if (e instanceof org.apache.kafka.common.errors.SerializationException) {
      return "serialization";
    }
    if (e instanceof InvalidTopicException) {
      return "invalid_topic";
    }
    return "other";
  }

  /**
   * Whether a failed send goes back into the buffer. Besides Kafka's retriable errors (and an
   * interrupt at shutdown), errors that an operator fixes outside the agent count too: Kafka
   * authentication and authorization, and any schema registry error (unreachable, 5xx, refused
   * credentials, a subject not registered): the registry's answer depends on its own state, not
   * on the profile, so dropping the profile would turn a registry restart into data loss.
   */
  static boolean isTransient(Exception e) {
    return e instanceof RetriableException
        || e instanceof InterruptException
        || e instanceof AuthenticationException
        || e instanceof AuthorizationException
        || e instanceof SchemaRegistryException;
  }

  private void pauseAfter(Exception error) {
    synchronized (pauseLock) {
      transientFailures++;
      long until = System.nanoTime() + pause.toNanos();
      if (until - pauseUntilNanos > 0) {
        LOG.warn(
            "Kafka send failed ({}); profiles stay buffered ({} waiting), retrying in {} ms",
            error.toString(), buffer.size(), pause.toMillis());
        pauseUntilNanos = until;
        pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
      }
    }
  }

  /** Sends re-queued after a failure, since creation. */
  private long transientFailures() {
    synchronized (pauseLock) {
      return transientFailures;
    }
  }

  private void waitWhilePaused() throws InterruptedException {
    while (running) {
      long wait;
      synchronized (pauseLock) {
        wait = pauseUntilNanos - System.nanoTime();
      }
      if (wait <= 0) {
        return;
      }
      TimeUnit.NANOSECONDS.sleep(Math.min(wait, POLL.toNanos()));
    }
  }

  private int permitsFor(Pending p) {
    long kib = (p.bytes() + KIB - 1) / KIB;
    return (int) Math.max(1, Math.min(inFlightPermits, kib));
  }

  /**
   * Publishes what is left for up to {@code grace}, then stops and closes the buffer: what was not
   * delivered is logged and counted as dropped, and so is anything offered later.
   */
  public void close(Duration grace) {
    long deadline = System.nanoTime() + grace.toNanos();
    while (System.nanoTime() < deadline && (buffer.size() > 0 || inFlightBytes() > 0)) {
      try {
        TimeUnit.MILLISECONDS.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    running = false;
    thread.interrupt();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    long left = Math.max(0, deadline - System.nanoTime());
    producer.close(Duration.ofNanos(left));
    refused.close();
    List<Pending> undelivered = buffer.close();
    if (!undelivered.isEmpty()) {
      LOG.error(
          "{} profiles were not delivered to Kafka before shutdown (grace {} ms); counted as dropped",
          undelivered.size(), grace.toMillis());
    }
  }

  @Override
  public void close() {
    close(Duration.ZERO);
  }
}
