package dev.leakwatch.alerting;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leakwatch.query.SuspectAnswers.Detail;
import dev.leakwatch.query.SuspectAnswers.Labels;
import dev.leakwatch.query.SuspectAnswers.Listing;
import dev.leakwatch.query.SuspectAnswers.Suspect;
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
import java.util.Optional;

/**
 * Reads suspects from Leakwatch's query API (docs/API.md, "Suspects"), as any client does: over HTTP,
 * with the bearer token when one is given. Any processor instance answers for all of them. The API
 * gives no partial answers (a 503 when an instance cannot answer), so a listing read in full is the
 * fleet's whole set of open suspects at that moment.
 */
final class SuspectApi {

  /** The API did not give a usable answer; the message names the URL and what came back. */
  static final class Unavailable extends Exception {
    Unavailable(String message) {
      super(message);
    }
  }

  private static final int PAGE = 1000;
  /** Pages of one listing: 1000 suspects per service are tracked, so this bounds a fleet's listing at 1M. */
  private static final int MAX_PAGES = 1000;
  private static final ObjectMapper JSON = new ObjectMapper()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final URI base;
  private final String token;
  private final Duration timeout;
  private final HttpClient http;

  /**
   * @param base the API's root without a trailing slash, e.g. {@code http://leakwatch-processor:8080}
   * @param token the bearer token, or null when the API has none configured
   * @param timeout per request
   */
  SuspectApi(URI base, String token, Duration timeout) {
    this.base = URI.create(base + "/");
    this.token = token;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** Every open suspect of the fleet, all pages, in the API's order (service, then id). */
  List<Suspect> open() throws Unavailable {
    List<Suspect> all = new ArrayList<>();
    String after = null;
    for (int page = 0; page < MAX_PAGES; page++) {
      String path = "api/v1/suspects?status=open&limit=" + PAGE + (after == null ? "" : "&after=" + encode(after));
      Listing listing = read(get(path, false).orElseThrow(), Listing.class, path);
      all.addAll(listing.suspects());
      if (!listing.truncated()) {
        return all;
      }
      if (listing.next() == null || listing.next().equals(after)) {
        throw new Unavailable(base + path + " answered truncated without a next page");
      }
      after = listing.next();
    }
    throw new Unavailable("the open suspects span more than " + MAX_PAGES + " pages of " + PAGE);
  }

  /**
   * One suspect as its service's owner sees it now.
   *
   * @return empty when the API does not know it (404: resolved and past its history's retention)
   */
  Optional<Suspect> suspect(String service, String id) throws Unavailable {
    String path = "api/v1/services/" + encodeSegment(service) + "/suspects/" + encodeSegment(id);
    Optional<byte[]> body = get(path, true);
    return body.isEmpty() ? Optional.empty() : Optional.of(read(body.get(), Detail.class, path).suspect());
  }

  /**
   * The labels section of one suspect's answer (docs/API.md, "Labels of a suspect's instances").
   *
   * @return empty when the API does not know the suspect, or its answer has no such section
   */
  Optional<Labels> labels(String service, String id) throws Unavailable {
    String path = "api/v1/services/" + encodeSegment(service) + "/suspects/" + encodeSegment(id);
    Optional<byte[]> body = get(path, true);
    return body.isEmpty() ? Optional.empty() : Optional.ofNullable(read(body.get(), Detail.class, path).labels());
  }

  /** The body of a 200; empty for a 404 when {@code notFoundIsEmpty}. */
  private Optional<byte[]> get(String path, boolean notFoundIsEmpty) throws Unavailable {
    URI uri = base.resolve(path);
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json");
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<byte[]> response;
    try {
      response = http.send(request.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new Unavailable("cannot reach " + uri + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unavailable("interrupted while asking " + uri);
    }
    if (response.statusCode() == 200) {
      return Optional.of(response.body());
    }
    if (response.statusCode() == 404 && notFoundIsEmpty) {
      return Optional.empty();
    }
    throw new Unavailable(uri + " answered " + response.statusCode() + errorMessage(response.body()));
  }

  /** The API's error {@code message}, when the body is one of its error answers. */
  private static String errorMessage(byte[] body) {
    try {
      JsonNode message = JSON.readTree(body).path("message");
      return message.isTextual() ? ": " + message.asText() : "";
    } catch (IOException e) {
      return "";
    }
  }

  private <T> T read(byte[] body, Class<T> type, String path) throws Unavailable {
    try {
      return JSON.readValue(body, type);
    } catch (IOException e) {
      throw new Unavailable(base + path + " answered what is not a " + type.getSimpleName() + ": " + e.getMessage());
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** A path segment: spaces as %20, not '+'. */
  private static String encodeSegment(String s) {
    return encode(s).replace("+", "%20");
  }
}
