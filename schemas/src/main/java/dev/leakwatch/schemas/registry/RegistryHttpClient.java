package dev.leakwatch.schemas.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLException;

/**
 * JSON over HTTP to a Confluent-compatible registry: one request, one JSON answer or a precise
 * {@link SchemaRegistryException}.
 *
 * <p>Base URLs are tried in order; only I/O failures (refused, timed out) move on to the next, an
 * HTTP answer of any status is final. Answers are bounded to {@link #MAX_RESPONSE_BYTES}. Uses {@link
 * HttpURLConnection} because it has separate connect and read timeouts and keeps connections alive
 * without background threads. Thread-safe.
 */
final class RegistryHttpClient {

  /** The Confluent REST content type; Apicurio's ccompat API, Karapace and Redpanda accept it. */
  static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  static final String ACCEPT = CONTENT_TYPE
      + ", application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";
  /** Largest answer read, in bytes: a registry answer is one schema, far below this. */
  static final int MAX_RESPONSE_BYTES = 4 << 20;
  private static final int SNIPPET_CHARS = 200;
  /** Longest wait for a TLS alert after a failed request's handshake (the alert follows at once). */
  private static final int TLS_ALERT_WAIT_MS = 3_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<URI> baseUrls;
  private final String authorization;
  private final RegistryTls tls;
  private final int connectTimeoutMs;
  private final int readTimeoutMs;

  /**
   * @param baseUrls at least one http(s) base URL, without trailing slash
   * @param authorization value of the {@code Authorization} header, or null for none
   * @param tls how {@code https} URLs are reached
   */
  RegistryHttpClient(List<URI> baseUrls, String authorization, RegistryTls tls,
      Duration connectTimeout, Duration readTimeout) {
    if (baseUrls.isEmpty()) {
      throw new IllegalArgumentException("at least one registry URL is required");
    }
    this.baseUrls = List.copyOf(baseUrls);
    this.authorization = authorization;
    this.tls = Objects.requireNonNull(tls, "tls");
    this.connectTimeoutMs = Math.toIntExact(connectTimeout.toMillis());
    this.readTimeoutMs = Math.toIntExact(readTimeout.toMillis());
  }

  /** {@code GET path}; returns the JSON answer of a 2xx status. */
  JsonNode get(String path) {
    return send("GET", path, null);
  }

  /** {@code POST path} with a JSON body; returns the JSON answer of a 2xx status. */
  JsonNode post(String path, JsonNode body) {
    try {
      return send("POST", path, JSON.writeValueAsBytes(Objects.requireNonNull(body)));
    } catch (JsonProcessingException e) {
      throw new SchemaRegistryException("cannot write the request body for POST " + path, e);
    }
  }

  private JsonNode send(String method, String path, byte[] body) {
    List<String> failures = new ArrayList<>();
    SSLException tls = null;
    boolean onlyTls = true;
    for (URI base : baseUrls) {
      try {
        return exchange(base, method, path, body);
      } catch (IOException e) {
        SSLException refusal = e instanceof SSLException ssl ? ssl : missedTlsRefusal(base, e);
        String failure = e.getClass().getSimpleName() + ": " + e.getMessage();
        if (refusal != null && refusal != e) {
          failure = refusal.getClass().getSimpleName() + ": " + refusal.getMessage()
              + "; the request itself failed with " + failure;
        }
        failures.add(base + " (" + failure + ")");
        onlyTls &= refusal != null;
        if (refusal != null) {
          tls = refusal;
        }
      }
    }
    String message = "schema registry unreachable for " + method + " " + path + ": tried "
        + String.join(", ", failures) + " with connect timeout " + connectTimeoutMs
        + " ms and read timeout " + readTimeoutMs + " ms";
    // a TLS failure on every URL (untrusted certificate, http on an https port) is configuration,
    // which waiting does not change: not retriable, yet the registry could not be asked (the cause
    // says why, for SchemaRegistryException.registryUnavailable())
    throw onlyTls
        ? new SchemaRegistryException(message, tls)
        : SchemaRegistryException.unreachable(message);
  }

  /**
   * The TLS alert that a request to an {@code https} URL failed on a closed connection without
   * reading ({@link TlsRefusalProbe}), or null. Not looked for when the connection was refused or
   * timed out: nothing answered there.
   */
  private SSLException missedTlsRefusal(URI base, IOException failure) {
    if (!"https".equalsIgnoreCase(base.getScheme()) || failure instanceof ConnectException
        || failure instanceof InterruptedIOException) {
      return null;
    }
    return TlsRefusalProbe.refusal(tls.socketFactory(), base, connectTimeoutMs,
        Math.min(readTimeoutMs, TLS_ALERT_WAIT_MS)).orElse(null);
  }

  private JsonNode exchange(URI base, String method, String path, byte[] body) throws IOException {
    HttpURLConnection connection =
        (HttpURLConnection) URI.create(base + path).toURL().openConnection();
    try {
      if (connection instanceof HttpsURLConnection https) {
        tls.apply(https);
      }
      connection.setConnectTimeout(connectTimeoutMs);
      connection.setReadTimeout(readTimeoutMs);
      connection.setUseCaches(false);
      connection.setRequestMethod(method);
      connection.setRequestProperty("Accept", ACCEPT);
      if (authorization != null) {
        connection.setRequestProperty("Authorization", authorization);
      }
      if (body != null) {
        connection.setDoOutput(true);
        connection.setRequestProperty("Content-Type", CONTENT_TYPE);
        // No streaming mode: in it, HttpURLConnection drops the body of a 401 answer.
        try (OutputStream out = connection.getOutputStream()) {
          out.write(body);
        }
      }
      int status = connection.getResponseCode();
      boolean ok = status >= 200 && status < 300;
      byte[] answer = readBounded(ok ? connection.getInputStream() : connection.getErrorStream(),
          base, method, path);
      String where = base + " answered " + method + " " + path + " with HTTP " + status;
      if (!ok) {
        throw errorFrom(where, status, answer);
      }
      try {
        return JSON.readTree(answer);
      } catch (JsonProcessingException e) {
        throw SchemaRegistryException.notARegistry(where + " but the body is not JSON (is "
            + base + " a schema registry's URL?): " + snippet(answer), status, e);
      }
    } catch (IOException | RuntimeException e) {
      // Never hand a connection in an unknown state back to the keep-alive pool.
      connection.disconnect();
      throw e;
    }
  }

  private static SchemaRegistryException errorFrom(String where, int status, byte[] answer) {
    int errorCode = SchemaRegistryException.NONE;
    String message = snippet(answer);
    JsonNode error;
    try {
      error = JSON.readTree(answer);
    } catch (IOException notJson) {
      error = null;
    }
    if (error == null || !error.isObject()) {
      // Registries answer errors with a JSON object; proxies, ingresses and load balancers with
      // HTML, plain text or nothing: no registry was asked, whatever the status (a 404 page for a
      // wrong path is not "schema not found")
      return SchemaRegistryException.notARegistry(where + ", not a JSON object (not a schema"
          + " registry's answer): " + message, status, null);
    }
    if (error.path("error_code").canConvertToInt()) {
      errorCode = error.path("error_code").intValue();
    }
    if (error.path("message").isTextual()) {
      message = error.path("message").textValue();
    }
    String code = errorCode == SchemaRegistryException.NONE ? "" : ", error_code " + errorCode;
    return new SchemaRegistryException(where + code + ": " + message, status, errorCode, null);
  }

  private static byte[] readBounded(InputStream in, URI base, String method, String path)
      throws IOException {
    if (in == null) {
      return new byte[0];
    }
    try (in) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        if (out.size() + n > MAX_RESPONSE_BYTES) {
          throw new SchemaRegistryException(base + " answered " + method + " " + path
              + " with more than " + MAX_RESPONSE_BYTES + " bytes; refusing to read further");
        }
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    }
  }

  private static String snippet(byte[] answer) {
    if (answer.length == 0) {
      return "(empty body)";
    }
    String text = new String(answer, StandardCharsets.UTF_8).strip();
    return text.length() <= SNIPPET_CHARS ? text : text.substring(0, SNIPPET_CHARS) + "...";
  }
}
