package dev.leakwatch.agent.scrape;

import dev.leakwatch.logging.RepeatedFailures;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Scheduler} on one daemon thread: a task runs only when the one before it has ended. On
 * the scrape scheduler tasks must be short (they only start asynchronous work), so a slow one,
 * such as a reload of the target files, gets a scheduler of its own. An exception in a task (a bug)
 * is logged and does not stop the thread: the first of its kind (class and throwing frame) with its
 * trace, the same again as a count at most a minute and at close ({@link RepeatedFailures}), since a
 * bug in a target's round would otherwise log a trace per target and round. {@link #close()}
 * interrupts a task still running and returns without waiting for it.
 */
public final class ExecutorScheduler implements Scheduler, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorScheduler.class);
  private final ScheduledExecutorService executor;
  private final RepeatedFailures failures = new RepeatedFailures(System::nanoTime);

  public ExecutorScheduler(String threadName) {
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, threadName);
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    ScheduledFuture<?> f =
        executor.schedule(
            () -> {
              try {
                task.run();
              } catch (RuntimeException e) {
                failed(e);
              }
            },
            Math.max(0, delay.toNanos()),
            TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }

  private void failed(RuntimeException e) {
    String kind = RepeatedFailures.kind(e);
    long repeats = failures.occurred(kind);
    if (repeats < 0) {
      LOG.error("scheduled task failed (the same failure again is counted, one line a minute)", e);
    } else if (repeats > 0) {
      LOG.error("scheduled task failed {} more times: {}", repeats, kind);
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
    failures.drain().forEach((kind, n) -> LOG.error("scheduled task failed {} more times: {}", n, kind));
  }
}
