package dev.leakwatch.demo;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A one-way "stop now" flag that waiting code can block on, so a stop request (Ctrl-C, a
 * {@code --duration} that ran out) ends every wait at once. An interrupt counts as a stop.
 */
public final class StopSignal {

  private final CountDownLatch latch = new CountDownLatch(1);

  public void stop() {
    latch.countDown();
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
