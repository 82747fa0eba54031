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
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Asks other instances over HTTP (JDK client): plain GET of the same API, marked with the {@value
 * #FORWARDED_HEADER} header, with this instance's bearer token when authentication is on. Time and
 * response size are bounded; an unreachable or silent instance fails the future with a retryable
 * {@link UnavailableException} naming it.
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
    return client.sendAsync(b.build(), HttpResponse.BodyHandlers.ofInputStream())
        .thenApplyAsync(r -> new PeerResponse(r.statusCode(),
            r.headers().firstValue("Content-Type").orElse(""), read(r.body(), name)))
        .exceptionally(e -> {
          Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
          if (cause instanceof UnavailableException u) {
            throw u;
          }
          throw new UnavailableException("instance " + name + " did not answer " + pathAndQuery + ": " + cause,
              true, List.of("host " + name + ": " + cause.getClass().getSimpleName()));
        });
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
