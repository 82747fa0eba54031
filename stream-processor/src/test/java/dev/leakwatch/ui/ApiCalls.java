package dev.leakwatch.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leakwatch.testing.CaughtUp;
import dev.leakwatch.topology.eval.CorpusScenario;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** The query API as the tests ask it, with the bearer header (the independent view of the data). */
final class ApiCalls {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final int port;
  private final String token;

  ApiCalls(int port, String token) {
    this.port = port;
    this.token = token;
  }

  HttpResponse<byte[]> send(String path) {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token).GET().build();
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  int status(String path) {
    return send(path).statusCode();
  }

  JsonNode json(String path) {
    HttpResponse<byte[]> r = send(path);
    try {
      JsonNode body = JSON.readTree(r.body());
      if (r.statusCode() != 200) {
        throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + body);
      }
      return body;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Each service's latest capture as the processor has stored it, ms. */
  Map<String, Long> lastCaptures() {
    Map<String, Long> out = new HashMap<>();
    json("/api/v1/services").path("services")
        .forEach(s -> out.put(s.path("service").asText(), s.path("lastCaptureMs").asLong()));
    return out;
  }

  /**
   * Whether the processor's every stage holds every capture of {@code s} ({@link CaughtUp}): what a
   * set-up awaits before asserting on answers that more than one stage makes.
   */
  boolean holdsEveryCapture(CorpusScenario s) {
    return CaughtUp.holdsEveryCapture(s, path -> {
      HttpResponse<byte[]> r = send(path);
      try {
        return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }
}
