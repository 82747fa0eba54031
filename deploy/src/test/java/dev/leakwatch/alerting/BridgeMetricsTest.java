package dev.leakwatch.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BridgeMetricsTest {

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void shouldCountRoundsByOutcomeAndDateOnlyTheSuccessfulOnesOverHttp() throws Exception {
    try (BridgeMetrics metrics = new BridgeMetrics()) {
      int port = metrics.serve("127.0.0.1", 0);
      metrics.record(new AlertBridge.Round(3, 3, 0, 0, 0, 2, 1, List.of()), Instant.ofEpochSecond(1_800_000_000L));
      metrics.record(new AlertBridge.Round(2, 0, 1, 0, 0, 0, 0, List.of()), Instant.ofEpochSecond(1_800_000_060L));
      metrics.record(new AlertBridge.Round(2, 0, 0, 0, 0, 0, 0, List.of("suspects not read")),
          Instant.ofEpochSecond(1_800_000_120L));

      HttpResponse<String> scrape = get(port, "/metrics");

      assertEquals(200, scrape.statusCode());
      List<String> lines = scrape.body().lines().filter(l -> l.startsWith("leakwatch_")).sorted().toList();
      assertEquals(List.of(
          "leakwatch_alerts_adopted_total 2.0",
          "leakwatch_alerts_alertmanagers_unread 0.0",
          "leakwatch_alerts_firing 2.0",
          "leakwatch_alerts_last_success_timestamp_seconds 1.80000006E9",
          "leakwatch_alerts_opened_total 3.0",
          "leakwatch_alerts_resolved_total 1.0",
          "leakwatch_alerts_rounds_total{outcome=\"failed\"} 1.0",
          "leakwatch_alerts_rounds_total{outcome=\"ok\"} 2.0"), lines);
      assertEquals(200, get(port, "/healthz").statusCode());
      HttpResponse<String> other = get(port, "/api/v1/suspects");
      assertEquals(404, other.statusCode());
      assertTrue(other.body().contains("/metrics and /healthz"), other.body());
    }
  }
}
