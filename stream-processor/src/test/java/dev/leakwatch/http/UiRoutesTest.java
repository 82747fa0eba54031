package dev.leakwatch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.ui.UiAssets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The UI's HTTP side over a stub query API: assets, headers, and the browser login. */
class UiRoutesTest {

  private static final String TOKEN = "t0ken";
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private StubServer stub;
  private ProcessorMetrics metrics;
  private int port;

  @BeforeEach
  void start() {
    stub = new StubServer(TOKEN);
    metrics = stub.metrics;
    port = stub.port;
  }

  @AfterEach
  void stop() {
    stub.close();
  }

  private HttpResponse<String> send(HttpRequest.Builder b) {
    try {
      return CLIENT.send(b.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
  }

  private HttpResponse<String> login(String form) {
    return send(request(UiRoutes.LOGIN).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)));
  }

  private static String cookie(HttpResponse<?> r) {
    return r.headers().firstValue("Set-Cookie").orElse("");
  }

  @Test
  void shouldServeThePageWithoutATokenUnderAStrictContentSecurityPolicy() {
    HttpResponse<String> r = send(request("/"));
    assertEquals(200, r.statusCode());
    assertEquals("text/html;charset=utf-8", contentType(r));
    String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
    assertTrue(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"), csp);
    assertEquals("no-referrer", r.headers().firstValue("Referrer-Policy").orElse(""));
    assertTrue(r.body().contains("<main id=\"view\""));
  }

  @Test
  void shouldMarkThePageOfAServerWithoutTokensSoItShowsNoLogout() {
    assertFalse(send(request("/")).body().contains("data-auth"), "this server has tokens");
    ProcessorMetrics open = new ProcessorMetrics();
    ApiServer noTokens = new ApiServer(new ApiSettings("127.0.0.1", 0, List.of(), false, Duration.ofDays(7),
        Duration.ofSeconds(2), 1 << 20), open);
    try {
      int p = noTokens.start();
      HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p + "/")));
      assertEquals(200, page.statusCode());
      assertTrue(page.body().contains("<body data-auth=\"off\">"), page.body());
    } finally {
      noTokens.close();
      open.close();
    }
  }

  @Test
  void shouldServeUplotFromItsWebjar() {
    HttpResponse<String> r = send(request("/ui/vendor/uPlot.min.js"));
    assertEquals(200, r.statusCode());
    assertEquals("text/javascript;charset=utf-8", contentType(r));
    assertTrue(r.body().contains("uPlot"));
  }

  @Test
  void shouldServeEveryFileOfTheUiDirectoryAndNothingElse() throws IOException {
    Path dir = Path.of("target", "classes", "ui");
    Set<String> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(Files::isRegularFile).map(p -> UiAssets.PREFIX + dir.relativize(p).toString().replace('\\', '/'))
          .map(p -> p.equals(UiAssets.PREFIX + "index.html") ? UiAssets.INDEX : p).collect(Collectors.toSet());
    }
    Set<String> served = UiAssets.load().paths().stream().filter(p -> !p.contains("/vendor/")).collect(Collectors.toSet());
    assertEquals(files, served, "the asset list names every file under resources/ui");
    for (String path : UiAssets.load().paths()) {
      assertEquals(200, send(request(path)).statusCode(), path);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"/ui/index.html", "/ui/js/missing.js", "/ui/%2e%2e/pom.xml", "/ui/vendor/uPlot.esm.js"})
  void shouldAnswerNotFoundForPathsOutsideTheAssetList(String path) {
    assertEquals(404, send(request(path)).statusCode(), path);
  }

  @Test
  void shouldTradeATokenInTheAddressForAnHttpOnlyStrictCookieAndRedirectItAway() {
    HttpResponse<String> r = send(request("/?token=" + TOKEN));
    assertEquals(303, r.statusCode());
    assertEquals("/", r.headers().firstValue("Location").orElse(""));
    String cookie = cookie(r);
    assertTrue(cookie.startsWith(BearerAuth.COOKIE + "=" + TOKEN + ";"), cookie);
    assertTrue(cookie.contains("; HttpOnly") && cookie.contains("; SameSite=Strict") && cookie.contains("; Path=/"), cookie);
    assertFalse(cookie.contains("Secure"), "plain HTTP cannot keep a Secure cookie: " + cookie);
    HttpResponse<String> api = send(request("/api/v1/services").header("Cookie", BearerAuth.COOKIE + "=" + TOKEN));
    assertEquals(200, api.statusCode(), api.body());
  }

  @Test
  void shouldMarkTheCookieSecureWhenTheRequestCameOverHttps() {
    HttpResponse<String> r = send(request("/?token=" + TOKEN).header("X-Forwarded-Proto", "https"));
    assertTrue(cookie(r).contains("; Secure"), cookie(r));
  }

  @Test
  void shouldRefuseAWrongTokenWithoutACookie() {
    HttpResponse<String> r = send(request("/?token=guess"));
    assertEquals(403, r.statusCode());
    assertEquals("", cookie(r));
    assertEquals(403, login("token=guess").statusCode());
    assertEquals(403, login("token=" + "x".repeat(UiRoutes.MAX_TOKEN_CHARS + 1)).statusCode());
  }

  @Test
  void shouldRejectApiCallsWithACookieWhoseTokenIsNoLongerAccepted() {
    HttpResponse<String> r = send(request("/api/v1/services").header("Cookie", BearerAuth.COOKIE + "=retired"));
    assertEquals(401, r.statusCode(), r.body());
    assertEquals(401, send(request("/api/v1/services")).statusCode(), "no credentials at all");
  }

  @Test
  void shouldLogInFromTheFormAndReturnOnlyToAViewOfThisUi() {
    HttpResponse<String> r = login("token=" + TOKEN + "&next=" + enc("#/flame/orders?metric=goroutines"));
    assertEquals(303, r.statusCode());
    assertEquals("/#/flame/orders?metric=goroutines", r.headers().firstValue("Location").orElse(""));
    assertTrue(cookie(r).contains("HttpOnly"));
    for (String next : List.of("//evil.example/", "https://evil.example/", "#/x\r\nSet-Cookie: a=b", "#/\"x")) {
      HttpResponse<String> other = login("token=" + TOKEN + "&next=" + enc(next));
      assertEquals("/", other.headers().firstValue("Location").orElse(""), next);
    }
  }

  @Test
  void shouldClearTheCookieOnLogout() {
    HttpResponse<String> r = send(request(UiRoutes.LOGOUT).POST(HttpRequest.BodyPublishers.noBody()));
    assertEquals(303, r.statusCode());
    assertTrue(cookie(r).startsWith(BearerAuth.COOKIE + "=;") && cookie(r).contains("Max-Age=0"), cookie(r));
  }

  /** The Content-Type without blanks (Jetty drops the one before charset). */
  private static String contentType(HttpResponse<?> r) {
    return r.headers().firstValue("Content-Type").orElse("").replace(" ", "");
  }

  private static String enc(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
