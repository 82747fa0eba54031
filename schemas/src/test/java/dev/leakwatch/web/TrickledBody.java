package dev.leakwatch.web;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * For tests of the body deadline: writes a request body one byte per tick to a connection whose
 * head has been sent, so the server is never idle for long yet the body takes far too long.
 * Stops at the end of the body, when the server closes, or at {@link #close}.
 */
public final class TrickledBody implements AutoCloseable {

  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "trickled-body");
    t.setDaemon(true);
    return t;
  });
  private final AtomicInteger sent = new AtomicInteger();

  private TrickledBody(OutputStream out, byte[] body, long tickMs) {
    ticker.scheduleAtFixedRate(() -> {
      int i = sent.get();
      if (i >= body.length) {
        throw new IllegalStateException("body complete"); // ends the schedule
      }
      try {
        out.write(body[i]);
        out.flush();
        sent.incrementAndGet();
      } catch (IOException closedByServer) {
        throw new UncheckedIOException(closedByServer); // ends the schedule
      }
    }, 0, tickMs, TimeUnit.MILLISECONDS);
  }

  /** Starts writing {@code body} to {@code out}, a byte every {@code tickMs} milliseconds. */
  public static TrickledBody start(OutputStream out, byte[] body, long tickMs) {
    return new TrickledBody(out, body, tickMs);
  }

  /** Bytes of the body written so far. */
  public int sent() {
    return sent.get();
  }

  @Override
  public void close() {
    ticker.shutdownNow();
  }
}
