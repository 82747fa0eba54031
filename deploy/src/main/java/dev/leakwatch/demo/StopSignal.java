package dev.leakwatch.demo;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A one-way "stop now" flag that waiting code can block on, so a stop request (Ctrl-C, a
 * {@code --duration} that ran out) ends every wait at once. An interrupt counts as a stop.
 */
public final class StopSignal {

  private final CountDownLatch latch = new CountDownLatch(1);
  /** The thread inside {@link #duringStart}, interrupted by a stop; null outside it. Guarded by this. */
  private Thread starting;

  public void stop() {
    latch.countDown();
    synchronized (this) {
      if (starting != null) {
        starting.interrupt();
      }
    }
  }

  /**
   * Runs {@code start} on the calling thread so that a stop before it returns interrupts it: a start
   * blocked waiting for the broker or the processor (each of those waits gives up and closes what it
   * started when interrupted) ends at once, instead of running to its end before the stop is looked at
   * — which a shutdown hook, waiting a bounded time, could cut off half-way. A stop that came before
   * interrupts the start at its first wait. The interrupt is cleared when {@code start} returns or
   * throws, so the closing that follows runs uninterrupted; the stop itself stays signalled.
   */
  public <T> T duringStart(Supplier<T> start) {
    synchronized (this) {
      starting = Thread.currentThread();
      if (stopped()) {
        starting.interrupt();
      }
    }
    try {
      return start.get();
    } finally {
      synchronized (this) {
        starting = null;
        Thread.interrupted();
      }
    }
  }

  public boolean stopped() {
    return latch.getCount() == 0;
  }

  /** Waits until {@code deadlineNanos} ({@link System#nanoTime()} scale); true if stopped first. */
  public boolean awaitUntil(long deadlineNanos) {
    return await(deadlineNanos - System.nanoTime());
  }

  /** Waits up to {@code timeout}; true if stopped. */
  public boolean await(Duration timeout) {
    return await(timeout.toNanos());
  }

  private boolean await(long nanos) {
    if (nanos <= 0) {
      return stopped();
    }
    try {
      return latch.await(nanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop();
      return true;
    }
  }
}
