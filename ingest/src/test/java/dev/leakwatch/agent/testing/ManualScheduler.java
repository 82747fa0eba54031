package dev.leakwatch.agent.testing;

import dev.leakwatch.agent.scrape.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Scheduler} in virtual time: tasks run only when the test calls {@link #runNext()}, and
 * every requested delay is recorded, so pacing is asserted on what was asked for, not on clocks.
 */
public final class ManualScheduler implements Scheduler {
  private final List<Entry> pending = new ArrayList<>();
  private final List<Duration> requested = new ArrayList<>();

  private static final class Entry {
    final Duration delay;
    final Runnable task;
    boolean cancelled;

    Entry(Duration delay, Runnable task) {
      this.delay = delay;
      this.task = task;
    }
  }

  @Override
  public synchronized Cancellable schedule(Duration delay, Runnable task) {
    Entry e = new Entry(delay, task);
    pending.add(e);
    requested.add(delay);
    return () -> {
      synchronized (this) {
        e.cancelled = true;
      }
    };
  }

  /** Every delay requested so far, in order. */
  public synchronized List<Duration> requested() {
    return new ArrayList<>(requested);
  }

  /** Tasks scheduled and neither run nor cancelled. */
  public synchronized int pendingCount() {
    return (int) pending.stream().filter(e -> !e.cancelled).count();
  }

  /** Runs the earliest-scheduled live task; returns false if there is none. */
  public boolean runNext() {
    Entry next = null;
    synchronized (this) {
      while (!pending.isEmpty() && next == null) {
        Entry e = pending.remove(0);
        if (!e.cancelled) {
          next = e;
        }
      }
    }
    if (next == null) {
      return false;
    }
    next.task.run();
    return true;
  }
}
