package dev.leakwatch.agent.scrape;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects a response body up to a byte bound, enforced as bytes arrive (never buffering more
 * than the bound plus one network chunk). Past the bound it either fails with {@link
 * ScrapeFailure.Reason#TOO_LARGE} (profile bodies) or keeps the prefix and stops reading (error
 * bodies, of which only a snippet is wanted). Either way the subscription is cancelled, which
 * closes the connection instead of draining the rest.
 */
final class BoundedBodySubscriber implements HttpResponse.BodySubscriber<byte[]> {
  /**
   * Most room reserved up front from a declared Content-Length: a typical profile (tens of KiB)
   * fits at once, while a larger body grows as its bytes arrive, so a target that declares the
   * bound and then sends little (or stalls) costs little while {@code scrape.maxConcurrent} rounds
   * are in flight.
   */
  static final int MAX_PRESIZE = 1 << 20;

  private final long maxBytes;
  private final boolean failOnOverflow;
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private final ByteArrayOutputStream out;
  private volatile Flow.Subscription subscription;

  /**
   * @param maxBytes the bound
   * @param failOnOverflow true to fail past the bound, false to truncate
   * @param expectedLength the Content-Length if known, else -1 (only pre-sizes the buffer, by at
   *     most {@link #MAX_PRESIZE})
   */
  BoundedBodySubscriber(long maxBytes, boolean failOnOverflow, long expectedLength) {
    this.maxBytes = maxBytes;
    this.failOnOverflow = failOnOverflow;
    int initial = (int) Math.min(Math.max(expectedLength, 8192), Math.min(maxBytes, MAX_PRESIZE));
    this.out = new ByteArrayOutputStream(initial);
  }

  /** A subscriber that fails at once, for a Content-Length already known to exceed the bound. */
  static BoundedBodySubscriber rejecting(ScrapeFailure failure) {
    BoundedBodySubscriber s = new BoundedBodySubscriber(0, true, -1);
    s.result.completeExceptionally(failure);
    return s;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (result.isDone()) {
      s.cancel();
    } else {
      s.request(Long.MAX_VALUE);
    }
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    if (result.isDone()) {
      return;
    }
    for (ByteBuffer b : items) {
      int room = (int) Math.min(Integer.MAX_VALUE, maxBytes - out.size());
      int n = b.remaining();
      if (n > room) {
        overflow(b, room, (long) out.size() + n);
        return;
      }
      write(b, n);
    }
  }

  private void overflow(ByteBuffer b, int room, long seen) {
    cancel();
    if (failOnOverflow) {
      result.completeExceptionally(
          new ScrapeFailure(
              ScrapeFailure.Reason.TOO_LARGE,
              "body exceeds the limit of " + maxBytes + " bytes (" + seen
                  + " bytes read when reading stopped)"));
    } else {
      write(b, room);
      result.complete(out.toByteArray());
    }
  }

  private void write(ByteBuffer b, int n) {
    byte[] chunk = new byte[n];
    b.get(chunk);
    out.write(chunk, 0, n);
  }

  @Override
  public void onError(Throwable t) {
    result.completeExceptionally(t);
  }

  @Override
  public void onComplete() {
    result.complete(out.toByteArray());
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return result;
  }

  /** Stops reading: cancels the subscription and fails the body with {@code failure}. */
  void abort(ScrapeFailure failure) {
    if (result.completeExceptionally(failure)) {
      cancel();
    }
  }

  private void cancel() {
    Flow.Subscription s = subscription;
    if (s != null) {
      s.cancel();
    }
  }
}
