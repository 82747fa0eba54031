package dev.leakwatch.agent.publish;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link KafkaPublisher}'s setup step ({@link TopicSetup#gate}: the topic created or found),
 * run on the publishing thread until it returns true, each failed run followed by a backoff that
 * doubles up to a bound. Nothing may be sent before it is done: a send to a missing topic would
 * let a broker that auto-creates topics create it with its own defaults. A step that throws is
 * logged and taken as done, so a defect in it cannot hold every profile back for good. Logged
 * under the publisher's name, where this line always was.
 *
 * <p>{@link #runIfDue} and {@link #awaitNext} are called by the publishing thread only; {@link
 * #done} and {@link #runs} may be read from any thread.
 */
final class SetupRetry {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaPublisher.class);

  private final BooleanSupplier setup;
  private final Duration maxRetry;
  /** Set once the setup returned true (or threw). */
  private volatile boolean done;
  /** Runs of the setup so far; written by the publishing thread only. */
  private volatile long runs;
  private long nextNanos;
  private Duration retry;

  /**
   * @param firstRetry the wait after the first failed run, doubled after each further one
   * @param maxRetry the longest wait between runs
   */
  SetupRetry(BooleanSupplier setup, Duration firstRetry, Duration maxRetry) {
    this.setup = setup;
    this.retry = firstRetry;
    this.maxRetry = maxRetry;
    this.nextNanos = System.nanoTime();
  }

  /** Runs the setup when unfinished and its backoff has passed; true once it is done. */
  boolean runIfDue() {
    if (done || System.nanoTime() - nextNanos < 0) {
      return done;
    }
    try {
      runs++;
      done = setup.getAsBoolean();
    } catch (RuntimeException e) {
      LOG.warn("topic setup failed unexpectedly; publishing anyway", e);
      done = true;
    }
    if (!done) {
      nextNanos = System.nanoTime() + retry.toNanos();
      Duration doubled = retry.multipliedBy(2);
      retry = doubled.compareTo(maxRetry) > 0 ? maxRetry : doubled;
    }
    return done;
  }

  /** Sleeps until the next run is due, but at most {@code poll} (so that stopping is noticed). */
  void awaitNext(Duration poll) throws InterruptedException {
    long wait = nextNanos - System.nanoTime();
    if (wait > 0) {
      TimeUnit.NANOSECONDS.sleep(Math.min(wait, poll.toNanos()));
    }
  }

  /** Whether the setup has finished. */
  boolean done() {
    return done;
  }

  /** How often the setup has run. */
  long runs() {
    return runs;
  }
}
