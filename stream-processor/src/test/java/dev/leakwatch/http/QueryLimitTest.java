package dev.leakwatch.http;

import static dev.leakwatch.http.ApiClient.get;
import static dev.leakwatch.http.ApiClient.json;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leakwatch.query.UnavailableException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code http.maxConcurrentQueries}: queries beyond the bound are refused at once with a retryable
 * 503 while the admitted ones run; internal parts, health, readiness, metrics and the UI are never
 * refused; every permit comes back however its request ended.
 */
class QueryLimitTest {

  private static final String TOKEN = "t0ken";
  private static final String TOP = "/api/v1/services/orders/top";

  private final StubQueryApi api = new StubQueryApi();
  private final ProcessorMetrics metrics = new ProcessorMetrics();
  private final CountDownLatch release = new CountDownLatch(1);
  private ApiServer server;
  private int port;

  private void start(int maxConcurrentQueries) {
    server = new ApiServer(new ApiSettings("127.0.0.1", 0, List.of(TOKEN), false, Duration.ofDays(7),
        Duration.ofSeconds(2), 1 << 20, ApiSettings.DEFAULT_BODY_TIMEOUT, maxConcurrentQueries), metrics);
    port = server.start();
    server.attach(api, "127.0.0.1:" + port);
  }

  @AfterEach
  void stop() {
    release.countDown();
    if (server != null) {
      server.close();
    }
    metrics.close();
  }

  private HttpResponse<byte[]> call(String path) {
    return get(port, path, TOKEN);
  }

  /** Starts {@code n} queries that the stub holds until {@link #release} opens; returns once all are held. */
  private List<CompletableFuture<HttpResponse<byte[]>>> holdQueries(int n) {
    api.hold = release;
    List<CompletableFuture<HttpResponse<byte[]>>> held = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      held.add(CompletableFuture.supplyAsync(() -> call(TOP)));
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> api.held.get() == n);
    return held;
  }

  @Test
  void shouldRefuseQueriesBeyondTheLimitWithARetryable503NamingTheSettingWhileTheAdmittedOnesRun() {
    start(2);
    List<CompletableFuture<HttpResponse<byte[]>>> held = holdQueries(2);

    for (String path : List.of(TOP, "/api/v1/services", "/api/v1/suspects",
        "/api/v1/services/orders/profile?type=heap")) {
      HttpResponse<byte[]> r = call(path);
      assertEquals(503, r.statusCode(), path + ": " + ApiClient.text(r));
      assertEquals("1", r.headers().firstValue("Retry-After").orElse(""), path);
      JsonNode e = json(r);
      assertEquals("unavailable", e.path("error").asText());
      assertTrue(e.path("retryable").asBoolean(false), ApiClient.text(r));
      assertEquals("this instance is at its limit of 2 concurrent queries (http.maxConcurrentQueries); ask again"
          + " shortly", e.path("message").asText());
    }
    assertEquals(2, api.held.get(), "the refused queries never reached the query layer");
    assertFalse(held.stream().anyMatch(CompletableFuture::isDone), "the admitted queries still run");

    release.countDown();
    for (CompletableFuture<HttpResponse<byte[]>> f : held) {
      assertEquals(200, f.join().statusCode(), ApiClient.text(f.join()));
    }
    assertEquals(200, call(TOP).statusCode(), "the permits came back");
  }

  @Test
  void shouldCountRefusedQueriesAndShowTheHeldOnesAndTheLimitInTheMetrics() {
    start(2);
    assertEquals(0.0, metric("leakwatch_queries_refused_total"));
    assertEquals(0.0, metric("leakwatch_queries_in_flight"));
    List<CompletableFuture<HttpResponse<byte[]>>> held = holdQueries(2);
    for (int i = 0; i < 3; i++) {
      assertEquals(503, call(TOP).statusCode());
    }

    assertEquals(3.0, metric("leakwatch_queries_refused_total"), "every refusal counted");
    assertEquals(2.0, metric("leakwatch_queries_in_flight"), "the held queries");
    assertEquals(2.0, metric("leakwatch_queries_limit"));

    release.countDown();
    held.forEach(f -> assertEquals(200, f.join().statusCode()));
    await().atMost(Duration.ofSeconds(30)).until(() -> metric("leakwatch_queries_in_flight") == 0.0);
    assertEquals(3.0, metric("leakwatch_queries_refused_total"), "admitted queries are not counted as refused");
  }

  /** The value of an unlabelled metric as this server's {@code /metrics} exposes it. */
  private double metric(String name) {
    HttpResponse<byte[]> r = call("/metrics");
    assertEquals(200, r.statusCode());
    return ApiClient.text(r).lines().filter(l -> l.startsWith(name + " ")).findFirst()
        .map(l -> Double.parseDouble(l.substring(name.length() + 1).trim()))
        .orElseThrow(() -> new AssertionError("no metric " + name + " in /metrics"));
  }

  @Test
  void shouldAnswerInternalPartsHealthReadinessMetricsAndTheUiWhileTheLimitIsReached() {
    start(1);
    List<CompletableFuture<HttpResponse<byte[]>>> held = holdQueries(1);

    // An instance whose admitted fan-out waits for this one's parts must get them, whatever this
    // one's own queries are doing: else two busy instances would refuse each other's parts.
    for (String path : List.of("/api/v1/internal/services?partitions=0",
        "/api/v1/internal/suspects?partitions=0,1",
        "/api/v1/internal/series?partitions=0&service=orders&site=0123456789abcdef",
        "/healthz", "/readyz", "/metrics", "/")) {
      HttpResponse<byte[]> r = call(path);
      assertEquals(200, r.statusCode(), path + ": " + ApiClient.text(r));
    }
    assertEquals(503, call(TOP).statusCode());
    release.countDown();
    assertEquals(200, held.get(0).join().statusCode());
  }

  @Test
  void shouldReturnThePermitOfAQueryThatFailedOrWasRefused() {
    start(1);
    api.failure = new UnavailableException("store closed", false, List.of());
    for (int i = 0; i < 3; i++) {
      HttpResponse<byte[]> r = call(TOP);
      assertEquals(503, r.statusCode());
      assertEquals("store closed", json(r).path("message").asText(), "the query's own failure, not the limit");
    }
    api.failure = null;
    for (int i = 0; i < 3; i++) {
      assertEquals(400, call(TOP + "?limit=0").statusCode());
      assertEquals(401, get(port, TOP, null).statusCode());
      assertEquals(404, call("/api/v1/nothing").statusCode());
    }
    assertEquals(200, call(TOP).statusCode());
  }
}
