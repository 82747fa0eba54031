package dev.leakwatch.agent.scrape;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * A check that runs again and again on a {@link Scheduler} until closed, each run saying how long
 * to wait before the next (file discovery, the TLS files). A run that throws is followed by one
 * after {@code usualDelay}. After {@link #close()} nothing more is scheduled; a run already going
 * is not waited for, and must act through {@link #runUnlessClosed} where it must not act after
 * close.
 */
public final class RepeatingCheck implements AutoCloseable {
  private final Scheduler scheduler;
  private final Duration usualDelay;
  private final Supplier<Duration> check;
  private Scheduler.Cancellable next;
  private boolean closed;

  /**
   * @param check runs one check and returns the delay before the next
   */
  public RepeatingCheck(Scheduler scheduler, Duration usualDelay, Supplier<Duration> check) {
    this.scheduler = scheduler;
    this.usualDelay = usualDelay;
    this.check = check;
  }

  /** Schedules the next run after {@code delay}, unless closed. */
  public synchronized void scheduleIn(Duration delay) {
    if (!closed) {
      next = scheduler.schedule(delay, this::runAndReschedule);
    }
  }

  public synchronized boolean isClosed() {
    return closed;
  }

  /**
   * Runs {@code action} unless closed; {@link #close()} waits for it meanwhile, so nothing is
   * acted on once close has returned.
   *
   * @return whether it ran
   */
  public synchronized boolean runUnlessClosed(Runnable action) {
    if (closed) {
      return false;
    }
    action.run();
    return true;
  }

  /** Stops scheduling runs; returns without waiting for one that is running. */
  @Override
  public synchronized void close() {
    closed = true;
    if (next != null) {
      next.cancel();
    }
  }

  private void runAndReschedule() {
    Duration delay = usualDelay;
    try {
      delay = check.get();
    } finally {
      scheduleIn(delay);
    }
  }
}
