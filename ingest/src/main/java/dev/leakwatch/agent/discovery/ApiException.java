package dev.leakwatch.agent.discovery;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A request the API server refused (status), or that got no usable answer (status 0; {@link
 * #stalled()} when that was a list page or watch stream gone silent).
 */
final class ApiException extends Exception {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final int status;
  private final boolean stalled;
  private final Duration retryAfter;

  ApiException(int status, String message, Throwable cause) {
    this(status, false, message, cause);
  }

  ApiException(int status, boolean stalled, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.stalled = stalled;
    this.retryAfter = Duration.ZERO;
  }

  /** A refusal that asks for a wait ({@code Retry-After}). */
  private ApiException(int status, String message, Duration retryAfter) {
    super(message);
    this.status = status;
    this.stalled = false;
    this.retryAfter = retryAfter;
  }

  /** What {@code Retry-After} asked for; zero when nothing. */
  Duration retryAfter() {
    return retryAfter;
  }

  int status() {
    return status;
  }

  boolean stalled() {
    return stalled;
  }

  /** The refusal {@code r} (not 200) answered with {@code body}: its Status message and Retry-After. */
  static ApiException refused(HttpResponse<?> r, String body) {
    return new ApiException(r.statusCode(), statusMessage(body), retryAfter(r));
  }

  /**
   * The wait a 429 (or 503) asks for in {@code Retry-After} (seconds; the API server's priority
   * and fairness sends one), or zero.
   */
  private static Duration retryAfter(HttpResponse<?> r) {
    try {
      long s = Long.parseLong(r.headers().firstValue("Retry-After").orElse("0").trim());
      return Duration.ofSeconds(Math.max(0, Math.min(s, 600)));
    } catch (NumberFormatException e) {
      return Duration.ZERO; // an HTTP date: the backoff alone
    }
  }

  /** The {@code message} of a Status body, else the start of the body. */
  private static String statusMessage(String body) {
    try {
      String m = JSON.readTree(body).path("message").asText("");
      if (!m.isEmpty()) {
        return m;
      }
    } catch (IOException e) {
      // not a Status: the text itself is the best there is
    }
    return body.length() > 200 ? body.substring(0, 200) : body;
  }
}
