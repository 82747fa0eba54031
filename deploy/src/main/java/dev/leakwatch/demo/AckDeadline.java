package dev.leakwatch.demo;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * "Kafka has settled nothing for too long": {@link #expired()} turns true once the count of
 * captures Kafka settled (acknowledged or rejected) has not moved for {@code timeout}, counted
 * from creation or from its last change. A replay waiting for room in its buffer asks it, so a
 * cluster that stops answering ends the replay within the delivery timeout instead of blocking it.
 * Not thread-safe: one waiting thread asks it.
 */
final class AckDeadline {

  private final long timeoutNanos;
  private final LongSupplier settled;
  private long lastSettled;
  private long lastChangeNanos;

  /**
   * @param timeout how long no capture may be settled
   * @param settled captures settled so far (never decreases)
   */
  AckDeadline(Duration timeout, LongSupplier settled) {
    this.timeoutNanos = timeout.toNanos();
    this.settled = settled;
    this.lastSettled = settled.getAsLong();
    this.lastChangeNanos = System.nanoTime();
  }

  /** True when nothing was settled for the timeout; a settled capture restarts the count. */
  boolean expired() {
    long now = System.nanoTime();
    long s = settled.getAsLong();
    if (s != lastSettled) {
      lastSettled = s;
      lastChangeNanos = now;
      return false;
    }
    return now - lastChangeNanos >= timeoutNanos;
  }
}
