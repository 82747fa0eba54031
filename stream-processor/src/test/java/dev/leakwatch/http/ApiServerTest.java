package dev.leakwatch.http;

import static dev.leakwatch.http.ApiClient.get;
import static dev.leakwatch.http.ApiClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leakwatch.query.Metric;
import dev.leakwatch.query.StackRequests;
import dev.leakwatch.query.UnavailableException;
import dev.leakwatch.web.TrickledBody;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The HTTP layer alone (over a stub query API): validation, authentication and error answers. */
class ApiServerTest {

  private static final String TOKEN = "t0ken";

  private StubServer stub;
  private StubQueryApi api;
  private ProcessorMetrics metrics;
  private int port;

  @BeforeEach
  void start() {
    stub = new StubServer("other", TOKEN);
    api = stub.api;
    metrics = stub.metrics;
    port = stub.port;
  }

  @AfterEach
  void stop() {
    stub.close();
  }

  private HttpResponse<byte[]> call(String path) {
    return get(port, path, TOKEN);
  }

  private JsonNode error(String path, int status) {
    HttpResponse<byte[]> r = call(path);
    assertEquals(status, r.statusCode(), ApiClient.text(r));
    assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
    return json(r);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiterString = " >> ", value = {
      "/api/v1/services/orders/top?limit=1001 >> limit >> 1001 >> must be an integer in [1, 1000]",
      "/api/v1/services/orders/top?metric=cpu >> metric >> cpu >> must be one of inuse_space, inuse_objects, alloc_space, alloc_objects, goroutines",
      "/api/v1/services/orders/top?from=yesterday >> from >> yesterday >> must be an ISO-8601 instant (2026-01-31T12:00:00Z), ms since the epoch, 'now' or 'now-<n>(ms|s|m|h|d)', between 1970 and 9999",
      "/api/v1/services/orders/top?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z >> from >> 2026-01-02T00:00:00Z >> must be before to (2026-01-01T00:00:00Z)",
      "/api/v1/services/orders/top?from=2026-01-01T00:00:00Z&to=2026-01-09T00:00:00Z >> to >> 2026-01-09T00:00:00Z >> the range from 2026-01-01T00:00:00Z spans 8d; at most 7d is allowed",
      "/api/v1/services/orders/top?frames=0 >> frames >> 0 >> must be an integer in [1, 1024]",
      "/api/v1/services/orders/top?limt=5 >> limt >> 5 >> is not a parameter of /api/v1/services/{service}/top (it takes metric, from, to, limit, frames, stacks)",
      "/api/v1/services/orders/top?limit=5&limit=6 >> limit >> 5,6 >> must be given at most once",
      "/api/v1/services/../top >> service >> .. >> must not be '..'; a service name must be 1 to 255 characters without '/', '\\', control, format (bidi, zero-width) or separator characters or U+FFFD, must not start or end with whitespace, and must not be '.' or '..'",
      "/api/v1/internal/services?partitions=1&service=%C0%AF >> service >> %C0%AF >> percent-escapes in '%C0%AF' do not decode to valid UTF-8",
      "/api/v1/services/orders/profile?type=cpu >> type >> cpu >> must be heap or goroutine",
      "/api/v1/services/orders/suspects/history?limit=0 >> limit >> 0 >> must be an integer in [1, 1000]",
      "/api/v1/services/orders/suspects/xyz >> id >> xyz >> must be a suspect id of 32 hex digits",
      "/api/v1/services/orders/sites/12/series >> siteId >> 12 >> must be 16 hex digits",
      "/api/v1/services/orders/sites/0123456789abcdef/series?kind=allocs >> kind >> allocs >> must be one of heap, goroutine, goroutineleak",
      "/api/v1/suspects?status=resolved >> status >> resolved >> must be open, candidate or all",
      "/api/v1/suspects?limit=1001 >> limit >> 1001 >> must be an integer in [1, 1000]",
      "/api/v1/suspects?after=orders >> after >> orders >> must be SERVICE/SUSPECT_ID, the 'next' of the previous page",
      "/api/v1/suspects?after=orders/xyz >> after >> orders/xyz >> must be SERVICE/SUSPECT_ID, the 'next' of the previous page",
      "/api/v1/suspects?after=%20orders/0123456789abcdef0123456789abcdef >> after >> ' orders/0123456789abcdef0123456789abcdef' >> must be SERVICE/SUSPECT_ID, the 'next' of the previous page; its service must not start or end with whitespace",
      "/api/v1/internal/suspects?partitions=1&limit=0 >> limit >> 0 >> must be an integer in [1, 1000]",
      "/api/v1/internal/services?partitions=a >> partitions >> a >> must be comma-separated partition numbers in [0, 100000)",
      "/api/v1/services?service=x >> service >> x >> is not a parameter of /api/v1/services (it takes after, limit, instances)",
      "/api/v1/services?limit=1001 >> limit >> 1001 >> must be an integer in [1, 1000]",
      "/api/v1/services?instances=-1 >> instances >> -1 >> must be an integer in [0, 1000]",
      "/api/v1/services?instances=1000&limit=101 >> limit >> 101 >> must be at most 100 with instances=1000: a page lists at most 100000 instances (limit × instances)",
      "/api/v1/services/orders?limit=0 >> limit >> 0 >> must be an integer in [1, 1000]",
      "/api/v1/services/orders/instances?limit=1001 >> limit >> 1001 >> must be an integer in [1, 1000]",
      "/api/v1/services/orders/instances?after=%20i-1 >> after >> ' i-1' >> must not start or end with whitespace; an instance name must be 1 to 255 characters without '\\', control, format (bidi, zero-width) or separator characters or U+FFFD, must not start or end with whitespace, and must not be '.' or '..'",
      "/api/v1/internal/services?partitions=1&instances=1001 >> instances >> 1001 >> must be an integer in [0, 1000]",
      "/api/v1/internal/services?partitions=1&instancesAfter=i-1 >> instancesAfter >> i-1 >> is only taken with 'instances'"})
  void shouldAnswer400NamingTheParameterItsValueAndTheRule(String path, String parameter, String value, String rule) {
    JsonNode e = error(path, 400);
    assertEquals("bad_request", e.path("error").asText());
    assertEquals(parameter, e.path("parameter").asText());
    assertEquals(value, e.path("value").asText());
    assertEquals(rule, e.path("rule").asText());
    assertTrue(api.received.isEmpty(), "nothing reached the query layer");
  }

  @Test
  void shouldRefuseBidiControlsInServiceNamesNamingTheCharacter() {
    JsonNode e = error("/api/v1/services/%E2%80%AEtxt/top", 400);
    assertEquals("service", e.path("parameter").asText());
    assertEquals("\u202Etxt", e.path("value").asText());
    assertTrue(e.path("rule").asText().startsWith("contains the format character U+202E (bidi or invisible) at index 0; "),
        e.path("rule").asText());
  }

  @Test
  void shouldAnswer400ForTwoAuthorizationHeadersEvenWhenOneIsValid() throws Exception {
    HttpRequest twice = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/services"))
        .header("Authorization", "Bearer " + TOKEN).header("Authorization", "Bearer guess").GET().build();
    HttpResponse<byte[]> r = HttpClient.newHttpClient().send(twice, HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(400, r.statusCode(), ApiClient.text(r));
    assertEquals("bad_request", json(r).path("error").asText());
    assertEquals("Authorization header given 2 times; send exactly one", json(r).path("message").asText());
    assertTrue(api.received.isEmpty(), "nothing reached the query layer");
  }

  @Test
  void shouldAnswer408WhenTheLoginFormBodyTricklesPastTheBodyDeadline() throws Exception {
    try (ApiServer slow = new ApiServer(new ApiSettings("127.0.0.1", 0, List.of(TOKEN), false, Duration.ofDays(1),
            Duration.ofSeconds(1), 1 << 20).withBodyTimeout(Duration.ofMillis(500)), metrics);
        Socket s = new Socket(InetAddress.getLoopbackAddress(), slow.start())) {
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      out.write(("POST " + UiRoutes.LOGIN + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\ntoken=")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      // one byte every 50 ms: never idle for long, far too slow overall
      try (TrickledBody body = TrickledBody.start(out, "x".repeat(100_000).getBytes(StandardCharsets.US_ASCII), 50)) {
        String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(response.startsWith("HTTP/1.1 408"), response);
        assertTrue(response.contains("\"error\":\"timeout\""), response);
        assertTrue(body.sent() < 100_000, "the whole body was sent");
      }
    }
  }

  @Test
  void shouldPassValidatedRequestsWithDefaultsToTheQueryLayer() {
    assertEquals(200, call("/api/v1/services/pay%20ments/top?metric=alloc_space&limit=7").statusCode());
    StackRequests.Top r = (StackRequests.Top) api.received.get(0);
    assertEquals("pay ments", r.service());
    assertEquals(Metric.ALLOC_SPACE, r.metric());
    assertEquals(7, r.limit());
    assertEquals(StackRequests.DEFAULT_FRAMES, r.frames());
    assertEquals(null, r.range().fromMs());
  }

  @Test
  void shouldServeProfilesAsGzipAttachments() {
    HttpResponse<byte[]> r = call("/api/v1/services/orders/profile/diff?type=goroutine");
    assertEquals(200, r.statusCode());
    assertEquals("application/octet-stream", r.headers().firstValue("Content-Type").orElse(""));
    assertEquals("attachment; filename=\"orders-goroutine-diff.pb.gz\"",
        r.headers().firstValue("Content-Disposition").orElse(""));
    assertEquals("stub:1", r.headers().firstValue("Leakwatch-Served-By").orElse(""));
  }

  @Test
  void shouldAnswer401WithAChallengeWithoutTokenAnd403WithAWrongOne() {
    HttpResponse<byte[]> missing = get(port, "/api/v1/services", null);
    assertEquals(401, missing.statusCode());
    assertEquals("Bearer realm=\"leakwatch\"", missing.headers().firstValue("WWW-Authenticate").orElse(""));
    assertEquals("unauthorized", json(missing).path("error").asText());
    HttpResponse<byte[]> wrong = get(port, "/api/v1/services", "guess");
    assertEquals(403, wrong.statusCode());
    assertEquals("forbidden", json(wrong).path("error").asText());
    assertEquals(200, get(port, "/api/v1/services", "other").statusCode(), "every configured token works");
    assertEquals(401, get(port, "/api/v1/internal/services?partitions=1", null).statusCode(), "parts too");
    assertTrue(api.received.size() == 1);
  }

  @Test
  void shouldServeHealthReadinessAndMetricsWithoutToken() {
    assertEquals(200, get(port, "/healthz", null).statusCode());
    assertEquals(200, get(port, "/readyz", null).statusCode());
    HttpResponse<byte[]> m = get(port, "/metrics", null);
    assertEquals(200, m.statusCode());
    assertTrue(ApiClient.text(m).contains("leakwatch_profiles_processed_total{type=\"heap\"} 0.0"), ApiClient.text(m));
  }

  @Test
  void shouldReportNotReadyWithTheReasonsAs503() {
    api.problems = List.of("Kafka Streams is REBALANCING, not RUNNING");
    HttpResponse<byte[]> r = get(port, "/readyz", null);
    assertEquals(503, r.statusCode());
    assertEquals("not_ready", json(r).path("status").asText());
    assertEquals("Kafka Streams is REBALANCING, not RUNNING", json(r).path("problems").get(0).asText());
    assertEquals(200, get(port, "/healthz", null).statusCode(), "alive all the same");
  }

  @Test
  void shouldAnswer404ForUnknownServicesAndUnknownResources() {
    JsonNode ghost = error("/api/v1/services/ghost", 404);
    assertEquals("no instance of any processor has a series of service 'ghost'", ghost.path("message").asText());
    JsonNode unknown = error("/api/v1/nothing-here", 404);
    assertEquals("no resource GET /api/v1/nothing-here (see docs/API.md)", unknown.path("message").asText());
  }

  @Test
  void shouldAnswer405WithTheAllowedMethodsForAKnownResourceAskedWithAnotherMethod() throws Exception {
    HttpResponse<byte[]> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/services"))
            .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofByteArray());

    assertEquals(405, r.statusCode(), ApiClient.text(r));
    assertEquals("GET", r.headers().firstValue("Allow").orElse(""));
    JsonNode body = json(r);
    assertEquals("method_not_allowed", body.get("error").asText());
    assertEquals("POST is not allowed on /api/v1/services; use GET (see docs/API.md)", body.get("message").asText());
  }

  @Test
  void shouldAnswer503WithRetryAfterAndTheFailedPartitionsDuringARebalance() {
    api.failure = new UnavailableException("1 of 2 instances could not answer for store suspect-lifecycle", true,
        List.of("host b:2 partitions [2, 3]: connection refused"));
    HttpResponse<byte[]> r = call("/api/v1/suspects");
    assertEquals(503, r.statusCode());
    assertEquals("1", r.headers().firstValue("Retry-After").orElse(""));
    JsonNode e = json(r);
    assertEquals("unavailable", e.path("error").asText());
    assertEquals("host b:2 partitions [2, 3]: connection refused", e.path("details").get(0).asText());
    assertTrue(e.path("retryable").asBoolean(), e.toString());
  }

  @Test
  void shouldLogNothingWhenEveryRequestFindsAPeerDown() {
    // a peer down answers every request that needs it 503: a line each would be a line per request
    api.failure = new UnavailableException("1 of 2 instances could not answer for store suspect-lifecycle", true,
        List.of("host b:2 partitions [2, 3]: ConnectException"));
    java.io.PrintStream stderr = System.err; // where slf4j-simple writes
    java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(log, true, StandardCharsets.UTF_8));
    try {
      for (int i = 0; i < 20; i++) {
        assertEquals(503, call("/api/v1/suspects").statusCode());
      }
    } finally {
      System.setErr(stderr);
    }
    assertEquals("", log.toString(StandardCharsets.UTF_8));
  }

  @Test
  void shouldAnswer503WithoutRetryAfterWhenAskingAgainCannotHelp() {
    api.failure = new UnavailableException("1 of 2 instances could not answer for store suspect-lifecycle", false,
        List.of("host b:2 partitions [2, 3]: answer of 9000000 bytes exceeds http.maxPeerResponseBytes=8388608"));
    HttpResponse<byte[]> r = call("/api/v1/suspects");
    assertEquals(503, r.statusCode());
    assertTrue(r.headers().firstValue("Retry-After").isEmpty(), r.headers().toString());
    JsonNode e = json(r);
    assertEquals("unavailable", e.path("error").asText());
    assertFalse(e.path("retryable").asBoolean(true), e.toString());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"/api/v1/services/%C0%AF/top, 400", "/api/v1/services/orders%00/top, 400"})
  void shouldAnswerJsonWhenTheServerRefusesAPathBeforeTheApiSeesIt(String path, int status) {
    JsonNode e = error(path, status);
    assertEquals("bad_request", e.path("error").asText());
    assertEquals(status, e.path("status").asInt());
    assertTrue(api.received.isEmpty(), "nothing reached the query layer");
  }

  @Test
  void shouldAnswerJsonWhenTheRequestLineOrTheHeadersAreTooLong() throws Exception {
    JsonNode e = error("/api/v1/services?after=" + "a".repeat(ApiServer.MAX_REQUEST_HEAD_BYTES + 1), 414);
    assertEquals("http_414", e.path("error").asText());
    HttpRequest big = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/services"))
        .header("Authorization", "Bearer " + TOKEN).header("X-Padding", "p".repeat(ApiServer.MAX_REQUEST_HEAD_BYTES + 1)).GET().build();
    HttpResponse<byte[]> r = HttpClient.newHttpClient().send(big, HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(431, r.statusCode(), ApiClient.text(r));
    assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
    assertEquals("http_431", json(r).path("error").asText());
  }

  @Test
  void shouldAnswer500WithoutTheExceptionsTextWhenAQueryFailsUnexpectedly() {
    api.failure = new IllegalStateException("RocksDB at /var/lib/leakwatch/state/0_3/rocksdb/service-windows failed");
    JsonNode e = error("/api/v1/services/orders/top", 500);
    assertEquals("internal", e.path("error").asText());
    String message = e.path("message").asText();
    assertFalse(message.contains("/var/lib") || message.contains("IllegalStateException"),
        "the cause stays in the log, not in the answer: " + message);
    assertTrue(message.startsWith("internal error"), message);
  }

  @Test
  void shouldAnswer503UntilTheQueriesAreAttached() {
    try (ApiServer starting = new ApiServer(ApiSettings.defaults().withPort(0), metrics)) {
      int p = starting.start();
      assertEquals(503, get(p, "/api/v1/services", null).statusCode());
      assertEquals(503, get(p, "/readyz", null).statusCode());
      assertEquals(200, get(p, "/healthz", null).statusCode());
    }
  }

  @Test
  void shouldRequireATokenForMetricsWhenConfiguredSo() {
    try (ApiServer strict = new ApiServer(new ApiSettings("127.0.0.1", 0, List.of(TOKEN), true, Duration.ofDays(1),
        Duration.ofSeconds(1), 1 << 20), metrics)) {
      int p = strict.start();
      assertEquals(401, get(p, "/metrics", null).statusCode());
      assertEquals(200, get(p, "/metrics", TOKEN).statusCode());
      assertEquals(200, get(p, "/healthz", null).statusCode());
    }
  }

  @Test
  void shouldRequireATokenForMetricsWhenConfiguredSoAlsoWithATrailingSlash() {
    try (ApiServer strict = new ApiServer(new ApiSettings("127.0.0.1", 0, List.of(TOKEN), true, Duration.ofDays(1),
        Duration.ofSeconds(1), 1 << 20), metrics)) {
      int p = strict.start();
      HttpResponse<byte[]> slash = get(p, "/metrics/", null);
      // the router serves /metrics/ as /metrics, so the token is required there as well
      assertEquals(401, slash.statusCode(), ApiClient.text(slash));
      assertEquals(200, get(p, "/metrics/", TOKEN).statusCode());
    }
  }
}
