package dev.leakwatch.http;

import dev.leakwatch.query.KeyRouter;
import dev.leakwatch.query.PeerClient;
import dev.leakwatch.query.PeerResponse;
import dev.leakwatch.query.UnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
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
 * request.
 */
final class HttpPeerClient implements PeerClient {

  /** Request header marking a request one instance sent another; its value names the sender. */
  static final String FORWARDED_HEADER = "Leakwatch-Forwarded-By";

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

  @Override
  public CompletableFuture<PeerResponse> get(HostInfo host, String pathAndQuery) {
    String name = KeyRouter.name(host);
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + name + pathAndQuery))
        .timeout(timeout).header(FORWARDED_HEADER, self).GET();
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    AtomicReference<InputStream> body = new AtomicReference<>();
    return client.sendAsync(b.build(), HttpResponse.BodyHandlers.ofInputStream())
        .thenApplyAsync(r -> {
          body.set(r.body());
          return new PeerResponse(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""),
              read(r.body(), name));
        })
        // The request's own timeout ends when the headers arrive; a peer that stalls in the body
        // (or whose host vanished without a reset) would hold the read, and this request, for as
        // long as the network lets it: the whole exchange gets the timeout too.
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .exceptionally(e -> {
          Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
          if (cause instanceof UnavailableException u) {
            throw u;
          }
          if (cause instanceof TimeoutException || cause instanceof HttpTimeoutException) {
            closeQuietly(body.get()); // ends a read still waiting for the peer
            // not retried here: another attempt would wait as long again before the caller hears of it
            throw new UnavailableException("instance " + name + " did not answer " + pathAndQuery + " within "
                + timeout.toMillis() + " ms (http.peerTimeout)", false, List.of("host " + name + ": timed out"));
          }
          throw new UnavailableException("instance " + name + " did not answer " + pathAndQuery + ": " + cause,
              true, List.of("host " + name + ": " + cause.getClass().getSimpleName()));
        });
  }

  private static void closeQuietly(InputStream in) {
    if (in != null) {
      try {
        in.close();
      } catch (IOException ignored) {
        // the answer is given up anyway
      }
    }
  }

  private byte[] read(InputStream in, String name) {
    try (in) {
      byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
      if (body.length > maxBytes) {
        throw new UnavailableException("instance " + name + " answered more than " + maxBytes + " bytes",
            false, List.of());
      }
      return body;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
