package dev.leakwatch.http;

import dev.leakwatch.query.UnavailableException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects a peer's response body as the HTTP client delivers it, without a thread waiting on a
 * stream: a peer that stalls in its body holds no thread of this instance, only the bytes received
 * so far. At most {@code maxBytes} are kept; a longer body is abandoned (the exchange cancelled) and
 * the answer fails with a non-retryable {@link UnavailableException}. {@link #abandon} gives up on a
 * body still arriving (the caller's timeout).
 */
final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {

  private final long maxBytes;
  private final String peer;
  private final String pathAndQuery;
  private final CompletableFuture<byte[]> body = new CompletableFuture<>();
  private final List<ByteBuffer> received = new ArrayList<>();
  private long size;
  private volatile Flow.Subscription subscription;
  private volatile boolean abandoned;

  /**
   * @param peer the peer's {@code host:port}, for the failure's message
   * @param pathAndQuery what was asked, for the failure's message
   */
  BoundedBody(long maxBytes, String peer, String pathAndQuery) {
    this.maxBytes = Math.min(maxBytes, Integer.MAX_VALUE - 8); // the largest byte[] a JVM allocates
    this.peer = peer;
    this.pathAndQuery = pathAndQuery;
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return body;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (abandoned) {
      s.cancel();
    } else {
      s.request(Long.MAX_VALUE); // the bound, not back-pressure, limits what is held
    }
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    if (body.isDone()) {
      return;
    }
    for (ByteBuffer b : buffers) {
      size += b.remaining();
      received.add(b);
    }
    if (size > maxBytes) {
      received.clear();
      subscription.cancel();
      body.completeExceptionally(new UnavailableException("instance " + peer + " answered " + pathAndQuery
          + " with more than " + maxBytes + " bytes (http.maxPeerResponseBytes); asking again cannot help: "
          + "raise the limit or ask the instance that computes the answer", false,
          List.of("host " + peer + ": answer over " + maxBytes + " bytes")));
    }
  }

  @Override
  public void onError(Throwable t) {
    received.clear();
    body.completeExceptionally(t);
  }

  @Override
  public void onComplete() {
    byte[] out = new byte[(int) size];
    int at = 0;
    for (ByteBuffer b : received) {
      int n = b.remaining();
      b.get(out, at, n);
      at += n;
    }
    received.clear();
    body.complete(out);
  }

  /** Stops receiving a body that has not arrived in full (cancels the exchange); idempotent. */
  void abandon() {
    abandoned = true;
    Flow.Subscription s = subscription;
    if (s != null) {
      s.cancel();
    }
  }
}
