package dev.leakwatch.http;

import dev.leakwatch.query.KeyRouter;
import dev.leakwatch.query.PeerClient;
import dev.leakwatch.query.PeerResponse;
import dev.leakwatch.query.UnavailableException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Asks other instances over HTTP (JDK client): plain GET of the same API, marked with the {@value
 * #FORWARDED_HEADER} header, with this instance's bearer token when authentication is on. Time and
 * response size are bounded; an unreachable or silent instance fails the future with a retryable
 * {@link UnavailableException} naming it, except when it timed out: the whole exchange, body
 * included, is bounded by the timeout, and a timeout is not worth another attempt within the same
 * request. Bodies are collected as they arrive ({@link BoundedBody}), so no thread of this instance
 * waits on a peer: a slow or stalled peer holds only its own requests, never the answers of others.
 */
final class HttpPeerClient implements PeerClient {

  /** Request header marking a request one instance sent another; its value names the sender. */
  static final String FORWARDED_HEADER = "Leakwatch-Forwarded-By";

  /** What java.net.URI takes unescaped in a path and query: RFC 2396's unreserved and reserved, and '%'. */
  private static final String URI_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
      + "-_.!~*'()" + ";/?:@&=+$," + "%";
  private static final String HEX = "0123456789ABCDEF";

  private final HttpClient client;
  private final String self;
  private final String authorization;
  private final Duration timeout;
  private final long maxBytes;

  /**
   * @param self this instance's {@code host:port}, sent in {@value #FORWARDED_HEADER}
   * @param authorization the {@code Authorization} header value, or null
   */
  HttpPeerClient(String self, String authorization, Duration timeout, long maxBytes) {
    this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    this.self = self;
    this.authorization = authorization;
    this.timeout = timeout;
    this.maxBytes = maxBytes;
  }

  /**
   * {@code pathAndQuery} with every character {@link URI} refuses there (such as {@code |}, {@code
   * ^}, {@code {}}, {@code "} or non-ASCII, which a client's raw query may hold and Jetty accepts)
   * percent-encoded as UTF-8: the asked instance decodes the same request. Escapes already there and
   * every character URI takes (including {@code +}, which a query decodes as a space) are kept.
   */
  static String uriSafe(String pathAndQuery) {
    StringBuilder out = null;
    for (int i = 0; i < pathAndQuery.length(); ) {
      int c = pathAndQuery.codePointAt(i);
      int next = i + Character.charCount(c);
      if (c < 0x80 && URI_CHARS.indexOf(c) >= 0) {
        if (out != null) {
          out.appendCodePoint(c);
        }
      } else {
        if (out == null) {
          out = new StringBuilder(pathAndQuery.length() + 16).append(pathAndQuery, 0, i);
        }
        for (byte x : pathAndQuery.substring(i, next).getBytes(StandardCharsets.UTF_8)) {
          out.append('%').append(HEX.charAt((x >> 4) & 0xF)).append(HEX.charAt(x & 0xF));
        }
      }
      i = next;
    }
    return out == null ? pathAndQuery : out.toString();
  }

  @Override
  public CompletableFuture<PeerResponse> get(HostInfo host, String pathAndQuery) {
    String name = KeyRouter.name(host);
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + name + uriSafe(pathAndQuery)))
        .timeout(timeout).header(FORWARDED_HEADER, self).GET();
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    AtomicReference<BoundedBody> body = new AtomicReference<>();
    return client.sendAsync(b.build(), info -> {
          BoundedBody bounded = new BoundedBody(maxBytes, name, pathAndQuery);
          body.set(bounded);
          return bounded;
        })
        .thenApply(r -> new PeerResponse(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body()))
        // The request's own timeout ends when the headers arrive; a peer that stalls in the body
        // (or whose host vanished without a reset) would hold this request for as long as the
        // network lets it: the whole exchange gets the timeout too.
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .exceptionally(e -> {
          Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
          if (cause instanceof UnavailableException u) {
            throw u;
          }
          if (cause instanceof TimeoutException || cause instanceof HttpTimeoutException) {
            BoundedBody pending = body.get();
            if (pending != null) {
              pending.abandon(); // frees the connection and what the body held so far
            }
            // not retried here: another attempt would wait as long again before the caller hears of it
            throw new UnavailableException("instance " + name + " did not answer " + pathAndQuery + " within "
                + timeout.toMillis() + " ms (http.peerTimeout)", false, List.of("host " + name + ": timed out"));
          }
          throw new UnavailableException("instance " + name + " did not answer " + pathAndQuery + ": " + cause,
              true, List.of("host " + name + ": " + cause.getClass().getSimpleName()));
        });
  }
}
