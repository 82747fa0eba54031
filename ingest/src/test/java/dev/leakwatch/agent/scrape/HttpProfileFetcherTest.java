package dev.leakwatch.agent.scrape;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP fetch against a real local HTTP server. Bodies here are opaque bytes: the fetcher does
 * not look inside them (the pprof check is the scrape loop's job).
 */
class HttpProfileFetcherTest {
  private static final long LIMIT = 1_000;
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private final CountDownLatch release = new CountDownLatch(1);
  private final byte[] body = new byte[600];
  private HttpServer server;
  private final HttpProfileFetcher fetcher = new HttpProfileFetcher("test");

  @BeforeEach
  void startServer() throws IOException {
    Arrays.fill(body, (byte) 7);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/ok", ex -> respond(ex, 200, body, body.length));
    server.createContext("/declared-too-large", ex -> respond(ex, 200, new byte[2_000], 2_000));
    server.createContext("/streamed-too-large", ex -> respond(ex, 200, new byte[50_000], 0));
    server.createContext("/streamed-at-limit", ex -> respond(ex, 200, new byte[(int) LIMIT], 0));
    server.createContext(
        "/error", ex -> respond(ex, 500, "boom:\n  store unavailable".getBytes(StandardCharsets.UTF_8), 0));
    server.createContext(
        "/long-error", ex -> respond(ex, 502, "x".repeat(100_000).getBytes(StandardCharsets.UTF_8), 0));
    server.createContext("/missing", ex -> respond(ex, 404, "404 page not found\n".getBytes(), 0));
    server.createContext(
        "/stalls-before-headers",
        ex -> {
          await();
          respond(ex, 200, body, body.length);
        });
    server.createContext(
        "/stalls-in-body",
        ex -> {
          ex.sendResponseHeaders(200, body.length);
          OutputStream out = ex.getResponseBody();
          out.write(body, 0, 10);
          out.flush();
          await();
          ex.close();
        });
    server.start();
  }

  @AfterEach
  void stopServer() {
    release.countDown();
    server.stop(0);
  }

  private void await() {
    try {
      release.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void respond(HttpExchange ex, int status, byte[] b, long declared)
      throws IOException {
    ex.sendResponseHeaders(status, declared);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(b);
    } catch (IOException e) {
      // the client may hang up early on purpose
    }
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  private ScrapeFailure failure(URI uri, Duration timeout) {
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> fetcher.fetch(uri, timeout, LIMIT).get());
    return assertInstanceOf(ScrapeFailure.class, e.getCause());
  }

  @Test
  void shouldReturnBodyExactlyAsServed() throws Exception {
    assertArrayEquals(body, fetcher.fetch(uri("/ok"), TIMEOUT, LIMIT).get());
  }

  @Test
  void shouldAcceptStreamedBodyExactlyAtLimit() throws Exception {
    assertEquals(LIMIT, fetcher.fetch(uri("/streamed-at-limit"), TIMEOUT, LIMIT).get().length);
  }

  @Test
  void shouldRejectDeclaredLengthOverLimitBeforeReading() {
    ScrapeFailure f = failure(uri("/declared-too-large"), TIMEOUT);
    assertEquals(ScrapeFailure.Reason.TOO_LARGE, f.reason());
    assertEquals("Content-Length 2000 exceeds the limit of 1000 bytes", f.getMessage());
  }

  @Test
  void shouldRejectStreamedBodyOnceItPassesLimit() {
    ScrapeFailure f = failure(uri("/streamed-too-large"), TIMEOUT);
    assertEquals(ScrapeFailure.Reason.TOO_LARGE, f.reason());
    assertTrue(f.getMessage().contains("body exceeds the limit of 1000 bytes"), f.getMessage());
  }

  @Test
  void shouldReportStatusAndBodySnippetForErrorResponses() {
    ScrapeFailure f = failure(uri("/error"), TIMEOUT);
    assertEquals(ScrapeFailure.Reason.HTTP_STATUS, f.reason());
    assertEquals("HTTP 500: boom: store unavailable", f.getMessage());
  }

  @Test
  void shouldKeepOnlySnippetOfLongErrorBody() {
    ScrapeFailure f = failure(uri("/long-error"), TIMEOUT);
    assertEquals(ScrapeFailure.Reason.HTTP_STATUS, f.reason());
    assertEquals("HTTP 502: " + "x".repeat(HttpProfileFetcher.ERROR_SNIPPET_BYTES), f.getMessage());
  }

  @Test
  void shouldReport404AsNotServed() {
    assertEquals(ScrapeFailure.Reason.NOT_SERVED, failure(uri("/missing"), TIMEOUT).reason());
  }

  @Test
  void shouldTimeOutWhenHeadersNeverArrive() {
    ScrapeFailure f = failure(uri("/stalls-before-headers"), Duration.ofMillis(300));
    assertEquals(ScrapeFailure.Reason.TIMEOUT, f.reason());
    assertEquals("no complete response within 300 ms", f.getMessage());
    assertTrue(f.unresponsive(), "no headers: the target is hung");
  }

  @Test
  void shouldTimeOutWhenBodyStallsHalfway() {
    ScrapeFailure f = failure(uri("/stalls-in-body"), Duration.ofMillis(300));
    assertEquals(ScrapeFailure.Reason.TIMEOUT, f.reason());
    assertFalse(f.unresponsive(), "headers arrived: the target answers, slowly");
  }

  @Test
  void shouldReportRefusedConnection() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ScrapeFailure f = failure(URI.create("http://127.0.0.1:" + port + "/debug/pprof/heap"), TIMEOUT);
    assertEquals(ScrapeFailure.Reason.CONNECT, f.reason());
  }
}
