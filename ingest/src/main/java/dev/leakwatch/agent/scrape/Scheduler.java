package dev.leakwatch.agent.scrape;

import java.time.Duration;

/**
 * Runs tasks after a delay. Production uses {@link ExecutorScheduler}; tests substitute a
 * virtual-time implementation so that backoff is verified by the delays asked for, not by waiting.
 */
public interface Scheduler {

  /** Runs {@code task} once after {@code delay}; the returned handle cancels it if not yet run. */
  Cancellable schedule(Duration delay, Runnable task);

  /** A scheduled task that can be cancelled. */
  interface Cancellable {
    void cancel();
  }
}
