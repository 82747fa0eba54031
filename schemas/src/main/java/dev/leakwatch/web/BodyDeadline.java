package dev.leakwatch.web;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Bounds the time a request's whole body may take to arrive, measured from the moment its headers
 * were read. Jetty's idle timeout only bounds the gap between two bytes, so a client trickling a
 * byte now and then holds a server thread for as long as it likes; with this wrapper every read
 * after the deadline fails with {@link BodyTimeoutException}, and a reader blocked waiting for
 * bytes is woken at the deadline to see it. Handlers answer 408 for it (see {@link
 * BodyTimeoutException#in}).
 *
 * <p>Install it as the server's outermost handler (with Javalin: {@code
 * cfg.jetty.modifyServer(s -> s.setHandler(new BodyDeadline(limit)))}; Javalin puts its servlet
 * context inside).
 */
public final class BodyDeadline extends Handler.Wrapper {

  private final Duration limit;

  /** @param limit the longest a body may take, from the end of the headers; positive */
  public BodyDeadline(Duration limit) {
    if (limit.isNegative() || limit.isZero()) {
      throw new IllegalArgumentException("body deadline must be positive: " + limit);
    }
    this.limit = limit;
  }

  /** The configured bound. */
  public Duration limit() {
    return limit;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    return super.handle(new Bounded(request, System.nanoTime() + limit.toNanos()), response, callback);
  }

  /** The request with reads and demands cut off at the deadline. */
  private final class Bounded extends Request.Wrapper {
    private final long deadlineNanos;

    Bounded(Request wrapped, long deadlineNanos) {
      super(wrapped);
      this.deadlineNanos = deadlineNanos;
    }

    @Override
    public Content.Chunk read() {
      if (System.nanoTime() - deadlineNanos >= 0) {
        return Content.Chunk.from(new BodyTimeoutException(limit), true);
      }
      return super.read();
    }

    @Override
    public void demand(Runnable onContent) {
      // whichever comes first, content or the deadline, wakes the reader exactly once
      AtomicBoolean woken = new AtomicBoolean();
      Runnable once = () -> {
        if (woken.compareAndSet(false, true)) {
          onContent.run();
        }
      };
      Scheduler scheduler = getComponents().getScheduler();
      long left = Math.max(0, deadlineNanos - System.nanoTime());
      Scheduler.Task timer = scheduler.schedule(once, left, TimeUnit.NANOSECONDS);
      super.demand(() -> {
        timer.cancel();
        once.run();
      });
    }
  }
}
