package dev.leakwatch.agent.scrape;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.leakwatch.schemas.testing.TestPki;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redirects against real local HTTP and HTTPS servers: the fetcher follows the good ones and names
 * where a refused one led, instead of reporting a bare {@code HTTP 302}.
 */
class HttpRedirectTest {
  private static final long LIMIT = 1_000;
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final byte[] BODY = "profile bytes".getBytes(StandardCharsets.UTF_8);

  @TempDir static Path dir;
  private static SSLContext tls;
  private HttpServer http;
  private HttpsServer https;

  @BeforeAll
  static void issueCertificate() throws Exception {
    // the target's context also trusts the test authority, so it serves as the agent's too
    tls = TestPki.create(dir, "leakwatch-redirect-ca").issue("target").serverContext();
  }

  @BeforeEach
  void startServers() throws IOException {
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    https.setHttpsConfigurator(new HttpsConfigurator(tls));
    for (HttpServer s : new HttpServer[] {http, https}) {
      s.setExecutor(Executors.newCachedThreadPool());
      s.createContext("/ok", ex -> respond(ex, 200, BODY));
      s.createContext("/missing", ex -> respond(ex, 404, "404 page not found\n".getBytes()));
      s.createContext("/moved", ex -> redirect(ex, 301, "ok"));
      s.createContext("/moved-twice", ex -> redirect(ex, 307, "/moved"));
      s.createContext("/moved-to-missing", ex -> redirect(ex, 302, "/missing"));
      s.createContext("/loop-a", ex -> redirect(ex, 302, "/loop-b"));
      s.createContext("/loop-b", ex -> redirect(ex, 302, "/loop-a"));
      // /far/0 -> /far/1 -> ... -> /far/8 -> /ok: eight redirects, three past the limit
      s.createContext(
          "/far/",
          ex -> {
            int n = Integer.parseInt(ex.getRequestURI().getPath().substring("/far/".length()));
            redirect(ex, 302, n < 8 ? "/far/" + (n + 1) : "/ok");
          });
      s.createContext("/to-ftp", ex -> redirect(ex, 302, "ftp://127.0.0.1/heap"));
      s.createContext("/no-location", ex -> respond(ex, 302, new byte[0]));
      s.createContext("/bad-location", ex -> redirect(ex, 303, "/heap file"));
      s.createContext("/to-credentials",
          ex -> redirect(ex, 302, "http://agent:s3cret@127.0.0.1:" + ex.getLocalAddress().getPort() + "/ok"));
      s.createContext("/to-bad-credentials", ex -> redirect(ex, 302, "http://agent:s3^cret@127.0.0.1/ok"));
    }
    http.start();
    https.start();
    https.createContext(
        "/to-http", ex -> redirect(ex, 302, "http://127.0.0.1:" + http.getAddress().getPort() + "/ok"));
  }

  @AfterEach
  void stopServers() {
    http.stop(0);
    https.stop(0);
  }

  private static void redirect(HttpExchange ex, int status, String location) throws IOException {
    ex.getResponseHeaders().set("Location", location);
    respond(ex, status, "<a href=\"...\">moved</a>".getBytes(StandardCharsets.UTF_8));
  }

  private static void respond(HttpExchange ex, int status, byte[] b) throws IOException {
    ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(b);
    }
  }

  private String httpUri(String path) {
    return "http://127.0.0.1:" + http.getAddress().getPort() + path;
  }

  private String httpsUri(String path) {
    return "https://127.0.0.1:" + https.getAddress().getPort() + path;
  }

  private static byte[] fetch(String uri) throws Exception {
    return new HttpProfileFetcher("test", tls).fetch(URI.create(uri), TIMEOUT, LIMIT).get();
  }

  private static ScrapeFailure failure(String uri) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> fetch(uri));
    return assertInstanceOf(ScrapeFailure.class, e.getCause());
  }

  @Test
  void shouldFollowRelativeAndAbsolutePathRedirectsWithinTheLimit() throws Exception {
    assertArrayEquals(BODY, fetch(httpUri("/moved")));
    assertArrayEquals(BODY, fetch(httpUri("/moved-twice")));
    assertArrayEquals(BODY, fetch(httpsUri("/moved-twice")));
  }

  @Test
  void shouldNameTheUrlAStatusCameFromWhenARedirectLedThere() {
    ScrapeFailure f = failure(httpUri("/moved-to-missing"));
    assertEquals(ScrapeFailure.Reason.NOT_SERVED, f.reason());
    assertEquals(
        "HTTP 404 (redirected to " + httpUri("/missing") + "): 404 page not found", f.getMessage());
  }

  @Test
  void shouldReportARedirectLoopWithItsChainWhenTheLimitIsPassed() {
    ScrapeFailure f = failure(httpUri("/loop-a"));
    assertEquals(ScrapeFailure.Reason.REDIRECT, f.reason());
    String a = httpUri("/loop-a");
    String b = httpUri("/loop-b");
    assertEquals(
        "GET " + a + ": redirect loop, more than 5 redirects (via " + String.join(", ", b, a, b, a, b)
            + "; last Location: " + a + ")",
        f.getMessage());
  }

  @Test
  void shouldRefuseAChainLongerThanTheLimitNamingTheLastLocation() {
    ScrapeFailure f = failure(httpUri("/far/0"));
    assertEquals(ScrapeFailure.Reason.REDIRECT, f.reason());
    assertEquals(
        "GET " + httpUri("/far/0") + ": more than 5 redirects (via " + httpUri("/far/1") + ", "
            + httpUri("/far/2") + ", " + httpUri("/far/3") + ", " + httpUri("/far/4") + ", "
            + httpUri("/far/5") + "; last Location: " + httpUri("/far/6") + ")",
        f.getMessage());
  }

  @Test
  void shouldRefuseARedirectFromHttpsToHttp() {
    ScrapeFailure f = failure(httpsUri("/to-http"));
    assertEquals(ScrapeFailure.Reason.REDIRECT, f.reason());
    assertEquals(
        "GET " + httpsUri("/to-http") + ": HTTP 302 from https to " + httpUri("/ok")
            + ": the agent does not follow a redirect from https to http",
        f.getMessage());
  }

  @Test
  void shouldRefuseARedirectToAnotherSchemeNamingIt() {
    ScrapeFailure f = failure(httpUri("/to-ftp"));
    assertEquals(ScrapeFailure.Reason.REDIRECT, f.reason());
    assertEquals(
        "GET " + httpUri("/to-ftp") + ": HTTP 302 to ftp://127.0.0.1/heap: a scheme the agent does"
            + " not follow (only http and https)",
        f.getMessage());
  }

  @Test
  void shouldReportARedirectWithoutLocation() {
    ScrapeFailure f = failure(httpUri("/no-location"));
    assertEquals(ScrapeFailure.Reason.REDIRECT, f.reason());
    assertEquals(
        "GET " + httpUri("/no-location") + ": HTTP 302 without a Location header", f.getMessage());
  }

  @Test
  void shouldReportALocationThatIsNotAUrlQuotingIt() {
    ScrapeFailure f = failure(httpUri("/bad-location"));
    assertEquals(ScrapeFailure.Reason.REDIRECT, f.reason());
    assertEquals(
        "GET " + httpUri("/bad-location") + ": HTTP 303 with a Location that is not a URL:"
            + " '/heap file' (Illegal character in path)",
        f.getMessage());
  }

  /**
   * A Location with user info: the agent sends no credentials in URLs (a target's url may not hold
   * them), and the refusal, shown on {@code /targets} and in log lines, must not quote the password
   * (before, the redirect was followed and the next hop's failures quoted it).
   */
  @Test
  void shouldRefuseARedirectToAUrlWithCredentialsWithoutQuotingThem() {
    for (String path : new String[] {"/to-credentials", "/to-bad-credentials"}) {
      ScrapeFailure f = failure(httpUri(path));
      assertEquals(ScrapeFailure.Reason.REDIRECT, f.reason(), f.getMessage());
      assertFalse(f.getMessage().contains("s3"), f.getMessage());
      assertTrue(f.getMessage().contains("***@127.0.0.1"), f.getMessage());
    }
  }
}
