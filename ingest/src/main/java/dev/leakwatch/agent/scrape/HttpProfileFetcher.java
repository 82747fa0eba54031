package dev.leakwatch.agent.scrape;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * Fetches profiles with the JDK HTTP client, asynchronously (no thread is held while a target is
 * slow). Enforces the size bound while reading (and up front from Content-Length), and one
 * deadline covering connect, headers and body. No {@code Accept-Encoding} is sent, so the body
 * arrives exactly as the Go runtime wrote it: {@code /debug/pprof/*?debug=0} is gzip'd although
 * Go sends no {@code Content-Encoding}. Redirects are followed here, hop by hop, within the same
 * deadline and bounds, by {@link RedirectChain}'s rules; one it refuses (too many, a loop, https to
 * http, another scheme) fails as {@link ScrapeFailure.Reason#REDIRECT} naming where it led.
 */
public final class HttpProfileFetcher implements ProfileFetcher {
  /** How much of a non-200 body is kept for the error message. */
  static final int ERROR_SNIPPET_BYTES = 200;

  private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private final Supplier<HttpClient> client;
  private final String userAgent;

  /** A fetcher trusting the JVM's trust store for {@code https} targets. */
  public HttpProfileFetcher(String userAgent) {
    this(userAgent, (SSLContext) null);
  }

  /**
   * @param tls the TLS context for {@code https} targets (trusted authorities, client
   *     certificate), or null for the JVM default
   */
  public HttpProfileFetcher(String userAgent, SSLContext tls) {
    HttpClient fixed = newClient(tls);
    this.client = () -> fixed;
    this.userAgent = userAgent;
  }

  /**
   * A fetcher whose TLS context can change while it runs.
   *
   * @param client asked once per request for the client to send it with ({@link TlsReloader}
   *     swaps in a client with a new context when the files rotate); must be quick
   */
  public HttpProfileFetcher(String userAgent, Supplier<HttpClient> client) {
    this.client = client;
    this.userAgent = userAgent;
  }

  /**
   * A client as every fetcher uses one: HTTP/1.1, connecting within 5 s, following no redirect
   * itself (the fetcher does, by {@link RedirectChain}'s rules, to report those it refuses); {@code tls} for https targets, or null for the JVM default. Its
   * context is fixed for its life: a new context needs a new client.
   */
  public static HttpClient newClient(SSLContext tls) {
    HttpClient.Builder b =
        HttpClient.newBuilder()
            .connectTimeout(MAX_CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1);
    if (tls != null) {
      b.sslContext(tls);
    }
    return b.build();
  }

  @Override
  public CompletableFuture<byte[]> fetch(URI uri, Duration timeout, long maxBytes) {
    Exchange exchange = new Exchange(client.get(), new RedirectChain(uri), maxBytes,
        System.nanoTime() + timeout.toNanos());
    CompletableFuture<byte[]> result =
        exchange.send(uri).orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS);
    return result.handle(
        (bytes, error) -> {
          if (error == null) {
            return bytes;
          }
          ScrapeFailure f = classify(unwrap(error), timeout);
          if (f.reason() == ScrapeFailure.Reason.TIMEOUT) {
            BoundedBodySubscriber s = exchange.body.get();
            if (s != null) {
              s.abort(f);
            } else {
              // no response headers at all: the target is hung, not merely slow to finish a body
              f = new ScrapeFailure(f.reason(), f.getMessage(), f.getCause(), true);
            }
            exchange.cancel();
          }
          throw f;
        });
  }

  /**
   * One profile request and the redirects it leads to, each hop sent by this fetcher (see {@link
   * RedirectChain}) with what is left of the one deadline and the same size bounds: a redirect's
   * own body is read only up to {@link #ERROR_SNIPPET_BYTES}.
   */
  private final class Exchange {
    private final HttpClient http;
    private final RedirectChain chain;
    private final long maxBytes;
    private final long deadlineNanos;
    /** The body of the latest hop, once its headers arrived; null while a hop awaits them. */
    final AtomicReference<BoundedBodySubscriber> body = new AtomicReference<>();
    /** The latest hop's exchange, cancelled when the deadline passes. */
    private final AtomicReference<CompletableFuture<?>> current = new AtomicReference<>();

    Exchange(HttpClient http, RedirectChain chain, long maxBytes, long deadlineNanos) {
      this.http = http;
      this.chain = chain;
      this.maxBytes = maxBytes;
      this.deadlineNanos = deadlineNanos;
    }

    CompletableFuture<byte[]> send(URI uri) {
      long left = deadlineNanos - System.nanoTime();
      if (left <= 0) {
        return CompletableFuture.failedFuture(new HttpTimeoutException("deadline passed"));
      }
      HttpRequest request =
          HttpRequest.newBuilder(uri)
              .timeout(Duration.ofNanos(left))
              .header("User-Agent", userAgent)
              .header("Accept", "application/octet-stream")
              .GET()
              .build();
      body.set(null);
      CompletableFuture<HttpResponse<byte[]>> hop =
          http.sendAsync(request, info -> subscriberFor(info, maxBytes, body));
      current.set(hop);
      return hop.thenCompose(
          response ->
              RedirectChain.isRedirect(response.statusCode())
                  ? send(chain.follow(
                      response.statusCode(), response.headers().firstValue("location")))
                  : CompletableFuture.completedFuture(bodyOrFailure(response, chain)));
    }

    void cancel() {
      CompletableFuture<?> hop = current.get();
      if (hop != null) {
        hop.cancel(true);
      }
    }
  }

  private static BoundedBodySubscriber subscriberFor(
      HttpResponse.ResponseInfo info,
      long maxBytes,
      AtomicReference<BoundedBodySubscriber> holder) {
    long length = info.headers().firstValueAsLong("content-length").orElse(-1);
    BoundedBodySubscriber s;
    if (info.statusCode() != 200) {
      s = new BoundedBodySubscriber(ERROR_SNIPPET_BYTES, false, -1);
    } else if (length > maxBytes) {
      s =
          BoundedBodySubscriber.rejecting(
              new ScrapeFailure(
                  ScrapeFailure.Reason.TOO_LARGE,
                  "Content-Length " + length + " exceeds the limit of " + maxBytes + " bytes"));
    } else {
      s = new BoundedBodySubscriber(maxBytes, true, length);
    }
    holder.set(s);
    return s;
  }

  private static byte[] bodyOrFailure(HttpResponse<byte[]> response, RedirectChain chain) {
    int status = response.statusCode();
    if (status == 200) {
      return response.body();
    }
    String snippet =
        new String(response.body(), StandardCharsets.UTF_8).replaceAll("\\s+", " ").trim();
    ScrapeFailure.Reason reason =
        status == 404 ? ScrapeFailure.Reason.NOT_SERVED : ScrapeFailure.Reason.HTTP_STATUS;
    throw new ScrapeFailure(
        reason,
        "HTTP " + status + (chain.redirected() ? " (redirected to " + chain.current() + ")" : "")
            + (snippet.isEmpty() ? "" : ": " + snippet));
  }

  private static Throwable unwrap(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static ScrapeFailure classify(Throwable t, Duration timeout) {
    if (t instanceof ScrapeFailure) {
      return (ScrapeFailure) t;
    }
    if (t instanceof HttpConnectTimeoutException || t instanceof ConnectException) {
      return new ScrapeFailure(
          ScrapeFailure.Reason.CONNECT, "cannot connect: " + describe(t), t);
    }
    if (t instanceof HttpTimeoutException || t instanceof TimeoutException) {
      return new ScrapeFailure(
          ScrapeFailure.Reason.TIMEOUT,
          "no complete response within " + timeout.toMillis() + " ms",
          t);
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof SSLException) {
        return new ScrapeFailure(ScrapeFailure.Reason.TLS, "TLS failed: " + describe(c), t);
      }
    }
    if (t instanceof IOException) {
      return new ScrapeFailure(ScrapeFailure.Reason.IO, describe(t), t);
    }
    return new ScrapeFailure(ScrapeFailure.Reason.IO, "unexpected " + describe(t), t);
  }

  private static String describe(Throwable t) {
    String m = t.getMessage();
    return t.getClass().getSimpleName() + (m == null ? "" : " (" + m + ")");
  }
}
