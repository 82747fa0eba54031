package dev.leakwatch.alerting;

import dev.leakwatch.query.JsonCodec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Posts alerts to every configured Alertmanager ({@code POST <url>/api/v2/alerts}), as Prometheus does
 * with an Alertmanager cluster: each replica gets every alert, and the cluster deduplicates the
 * notifications. Alertmanager answers 200 for a batch it took.
 */
final class Alertmanagers {

  private final List<URI> endpoints;
  private final Duration timeout;
  private final HttpClient http;

  /** @param bases each Alertmanager's root URL without a trailing slash, e.g. {@code http://alertmanager:9093} */
  Alertmanagers(List<URI> bases, Duration timeout) {
    this.endpoints = bases.stream().map(b -> URI.create(b + "/api/v2/alerts")).toList();
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /**
   * Sends the batch to each Alertmanager.
   *
   * @return one line per Alertmanager that did not take it (its URL and why); empty when all did
   */
  List<String> post(List<SuspectAlert> alerts) {
    List<String> failures = new ArrayList<>();
    if (alerts.isEmpty()) {
      return failures;
    }
    byte[] body = JsonCodec.write(alerts);
    for (URI endpoint : endpoints) {
      HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(timeout)
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() != 200) {
          failures.add(endpoint + " answered " + response.statusCode() + ": " + shorten(response.body()));
        }
      } catch (IOException e) {
        failures.add("cannot reach " + endpoint + ": " + e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failures.add("interrupted while posting to " + endpoint);
        break;
      }
    }
    return failures;
  }

  private static String shorten(String body) {
    String oneLine = body.strip().replaceAll("\\s+", " ");
    return oneLine.length() <= 300 ? oneLine : oneLine.substring(0, 300) + "...";
  }
}
