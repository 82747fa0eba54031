package dev.leakwatch.alerting;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What bridge tests run against: a real Alertmanager (the test is skipped when none is installed:
 * {@code apt-get install prometheus-alertmanager}) and a query API scripted with the API's own answer
 * types. What Alertmanager holds is read back through its own API.
 */
abstract class BridgeHarness {

  @TempDir Path work;
  RealAlertmanager alertmanager;
  ScriptedApi api;

  @BeforeEach
  void start() throws Exception {
    var binary = RealAlertmanager.binary();
    assumeTrue(binary.isPresent(), "no Alertmanager installed (apt-get install prometheus-alertmanager)");
    alertmanager = new RealAlertmanager(binary.get(), work);
    api = new ScriptedApi();
  }

  @AfterEach
  void stop() {
    if (api != null) {
      api.close();
    }
    if (alertmanager != null) {
      alertmanager.close();
    }
  }

  AlertBridge bridge(List<URI> alertmanagers, Map<String, String> labels, URI runbookUrl) {
    return new AlertBridge(new AlertSettings(api.url, "s3cret", alertmanagers, Duration.ofHours(6),
        Duration.ofHours(1), URI.create("https://leakwatch.example"), runbookUrl, labels, Duration.ofSeconds(5)));
  }

  AlertBridge bridge(List<URI> alertmanagers, Map<String, String> labels) {
    return bridge(alertmanagers, labels, null);
  }

  AlertBridge bridge(List<URI> alertmanagers) {
    return bridge(alertmanagers, Map.of("cluster", "eu-1"));
  }

  AlertBridge bridge() {
    return bridge(List.of(alertmanager.url));
  }

  /** service/suspect_id → labels of the alerts Alertmanager holds unresolved. */
  Map<String, JsonNode> held() throws Exception {
    return alertmanager.alerts().stream().collect(Collectors.toMap(
        a -> a.path("labels").path("service").asText() + "/" + a.path("labels").path("suspect_id").asText(),
        a -> a, (a, b) -> { throw new AssertionError("two alerts for one suspect: " + a + " " + b); }, TreeMap::new));
  }
}
