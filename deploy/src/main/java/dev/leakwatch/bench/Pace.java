package dev.leakwatch.bench;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** Waiting in the load generator's loops (wall clock: a benchmark drives real time). */
final class Pace {

  private Pace() {}

  static void pause(Duration d) {
    LockSupport.parkNanos(d.toNanos());
    if (Thread.interrupted()) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    }
  }
}
