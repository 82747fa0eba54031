package dev.leakwatch.agent.discovery;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A watch stream that aborts itself once no byte has arrived for {@code bound}: the read blocked
 * in it fails with an {@link IOException}, after which {@link #stalled()} is true. Without it, a
 * connection that died silently (a load balancer dropping an idle flow without FIN or RST, a
 * network partition) blocks its reader forever, since the server's {@code timeoutSeconds} end never
 * arrives either and the JDK client's request timeout covers only the response headers.
 *
 * <p>The abort closes the wrapped body from the guard's thread. On JDK 17's {@code HttpClient}
 * (checked with a probe) that is the one thing that wakes a read blocked in an {@code ofInputStream}
 * body: interrupting the reading thread does not, nor does cancelling the {@code sendAsync} future
 * once the headers are in. Wrap the raw body, not a reader over it: a {@code BufferedReader} holds
 * its lock while blocked, so closing the reader from another thread would wait for the read.
 *
 * <p>Close the guard when the stream is done with, which also cancels its pending check.
 */
final class StallGuard extends FilterInputStream {
  /**
   * One daemon thread for the checks of every watch in the JVM: a check only compares two times
   * and, at most once per stall, closes a stream. It lives as long as the JVM, like the watches.
   */
  private static final ScheduledThreadPoolExecutor CHECKS = checks();

  private final long boundNanos;
  private volatile long lastByte = System.nanoTime();
  private volatile boolean stalled;
  private volatile boolean done;
  private ScheduledFuture<?> check;

  StallGuard(InputStream body, Duration bound) {
    super(body);
    this.boundNanos = bound.toNanos();
    schedule(boundNanos);
  }

  /** Whether the stream was aborted for want of bytes (rather than broken or ended). */
  boolean stalled() {
    return stalled;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      lastByte = System.nanoTime();
    }
    return b;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    int n = super.read(buf, off, len);
    if (n > 0) {
      lastByte = System.nanoTime();
    }
    return n;
  }

  @Override
  public void close() throws IOException {
    done = true;
    cancelCheck();
    super.close();
  }

  /**
   * Runs when the bound may have passed: aborts if it has, else looks again when it would. One
   * check is pending at a time, so that a busy stream costs a volatile write per read, not a timer.
   */
  private void check() {
    if (done) {
      return;
    }
    long idle = System.nanoTime() - lastByte;
    if (idle < boundNanos) {
      schedule(boundNanos - idle);
      return;
    }
    stalled = true;
    try {
      in.close();
    } catch (IOException e) {
      // the blocked read fails either way; nothing more to do here
    }
  }

  private synchronized void schedule(long delayNanos) {
    if (!done) {
      check = CHECKS.schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
    }
  }

  private synchronized void cancelCheck() {
    if (check != null) {
      check.cancel(false);
    }
  }

  private static ScheduledThreadPoolExecutor checks() {
    ScheduledThreadPoolExecutor e =
        new ScheduledThreadPoolExecutor(1, r -> {
          Thread t = new Thread(r, "leakwatch-kubernetes-stall-guard");
          t.setDaemon(true);
          return t;
        });
    e.setRemoveOnCancelPolicy(true);
    return e;
  }
}
