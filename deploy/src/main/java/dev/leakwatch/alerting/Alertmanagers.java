package dev.leakwatch.alerting;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leakwatch.query.JsonCodec;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Posts alerts to every configured Alertmanager ({@code POST <url>/api/v2/alerts}), as Prometheus does
 * with an Alertmanager cluster: each replica gets every alert, and the cluster deduplicates the
 * notifications. Alertmanager answers 200 for a batch it took. Also reads back what one of them holds
 * ({@code GET <url>/api/v2/alerts}), so that a restarted bridge can take over the alerts it had posted.
 */
final class Alertmanagers {

  /** An Alertmanager did not answer 200; the message names the URL and what came back. */
  static final class Failed extends Exception {
    Failed(String message) {
      super(message);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

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
      try {
        send(HttpRequest.newBuilder(endpoint).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
      } catch (Failed e) {
        failures.add(e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failures.add("interrupted while posting to " + endpoint);
        break;
      }
    }
    return failures;
  }

  /** How many Alertmanagers there are; {@link #held} takes an index below it. */
  int count() {
    return endpoints.size();
  }

  /**
   * The alerts the {@code index}th Alertmanager holds and has not ended, whatever their state (active,
   * silenced, inhibited or not yet processed), among those carrying every label of {@code matchers}.
   * Alertmanager filters on them (equality matchers, values quoted); callers still check each alert's
   * labels themselves, as a filter only narrows what comes back.
   *
   * @throws Failed when it does not answer 200 with a list of alerts
   */
  List<SuspectAlert> held(int index, Map<String, String> matchers) throws Failed, InterruptedException {
    StringBuilder query = new StringBuilder("?active=true&silenced=true&inhibited=true&unprocessed=true");
    matchers.forEach((name, value) -> query.append("&filter=").append(encode(name + "=" + quoted(value))));
    URI uri = URI.create(endpoints.get(index) + query.toString());
    String body = send(HttpRequest.newBuilder(uri).header("Accept", "application/json").GET());
    try {
      return JSON.readValue(body, new TypeReference<List<SuspectAlert>>() {});
    } catch (IOException e) {
      throw new Failed(endpoints.get(index) + " answered what is not a list of alerts: " + e.getMessage());
    }
  }

  /** The body of a 200. */
  private String send(HttpRequest.Builder request) throws Failed, InterruptedException {
    HttpRequest r = request.timeout(timeout).build();
    HttpResponse<String> response;
    try {
      response = http.send(r, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new Failed("cannot reach " + r.uri() + ": " + e);
    }
    if (response.statusCode() != 200) {
      throw new Failed(r.uri() + " answered " + response.statusCode() + ": " + shorten(response.body()));
    }
    return response.body();
  }

  /** A matcher's value as Alertmanager parses it: in double quotes, backslashes, quotes and newlines escaped. */
  private static String quoted(String value) {
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }

  /** A query parameter's value: spaces as %20, not '+'. */
  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String shorten(String body) {
    String oneLine = body.strip().replaceAll("\\s+", " ");
    return oneLine.length() <= 300 ? oneLine : oneLine.substring(0, 300) + "...";
  }
}
