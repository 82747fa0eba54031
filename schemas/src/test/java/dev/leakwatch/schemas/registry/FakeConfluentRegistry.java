package dev.leakwatch.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A stand-in for a Confluent Schema Registry in tests: the three endpoints the client uses, over
 * real HTTP (or HTTPS, {@link #https}) on a loopback port, with an in-memory store and the registry's documented error bodies.
 *
 * <p>Like Confluent's registry, ids are global and start at 1, an identical schema gets the same id
 * in every subject, and errors are {@code {"error_code": n, "message": "..."}}.
 *
 * <p>Use it with try-with-resources, or as a per-test {@code @RegisterExtension} field, which stops
 * it after each test.
 */
public final class FakeConfluentRegistry implements AutoCloseable, AfterEachCallback {

  /** One request as the server saw it. */
  public record Request(String method, String path, String authorization, String contentType,
      String body) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final Map<Integer, String> schemasById = new LinkedHashMap<>();
  private final Map<String, List<Integer>> subjects = new LinkedHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final CountDownLatch releaseHeldRequests = new CountDownLatch(1);
  private String requiredAuthorization;
  private int forcedStatus;
  private String forcedBody;
  private boolean holdRequests;

  /** Starts the server on an ephemeral loopback port. */
  public FakeConfluentRegistry() {
    this(null, false);
  }

  /**
   * Starts the server speaking HTTPS with {@code tls} (its certificate, and the authorities it
   * trusts for client certificates).
   *
   * @param requireClientCertificate whether a client without a certificate is refused (mTLS)
   */
  public static FakeConfluentRegistry https(SSLContext tls, boolean requireClientCertificate) {
    return new FakeConfluentRegistry(Objects.requireNonNull(tls), requireClientCertificate);
  }

  private FakeConfluentRegistry(SSLContext tls, boolean requireClientCertificate) {
    InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    try {
      if (tls == null) {
        server = HttpServer.create(loopback, 0);
      } else {
        HttpsServer https = HttpsServer.create(loopback, 0);
        https.setHttpsConfigurator(new HttpsConfigurator(tls) {
          @Override
          public void configure(HttpsParameters params) {
            SSLParameters parameters = tls.getDefaultSSLParameters();
            parameters.setNeedClientAuth(requireClientCertificate);
            params.setSSLParameters(parameters);
          }
        });
        server = https;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind the fake registry to a loopback port", e);
    }
    server.createContext("/", this::handle);
    server.start();
  }

  /** @return the base URL, e.g. {@code http://127.0.0.1:39017} or {@code https://...} */
  public String url() {
    return (server instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:"
        + server.getAddress().getPort();
  }

  /** Registers {@code schema} under {@code subject} as an earlier producer would have. */
  public synchronized int preRegister(String subject, Schema schema) {
    return registerParsed(subject, schema);
  }

  /** Every request received so far, in order. */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** Answers 401 (error_code 40101) unless the request carries exactly this Authorization header. */
  public synchronized void requireAuthorization(String authorization) {
    this.requiredAuthorization = authorization;
  }

  /** Answers every following request with this status and raw body. */
  public synchronized void answerEverythingWith(int status, String body) {
    this.forcedStatus = status;
    this.forcedBody = body;
  }

  /** Makes every following request wait, unanswered, until {@link #close()}. */
  public synchronized void holdRequests() {
    this.holdRequests = true;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    close();
  }

  @Override
  public void close() {
    releaseHeldRequests.countDown();
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String path = exchange.getRequestURI().getRawPath();
    requests.add(new Request(exchange.getRequestMethod(), path,
        exchange.getRequestHeaders().getFirst("Authorization"),
        exchange.getRequestHeaders().getFirst("Content-Type"), body));
    if (holding()) {
      awaitRelease();
    }
    Answer answer;
    synchronized (this) {
      answer = answer(exchange.getRequestMethod(), path, body,
          exchange.getRequestHeaders().getFirst("Authorization"));
    }
    byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", RegistryHttpClient.CONTENT_TYPE);
    exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private synchronized boolean holding() {
    return holdRequests;
  }

  private void awaitRelease() {
    try {
      releaseHeldRequests.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private record Answer(int status, String body) {}

  private Answer answer(String method, String path, String body, String authorization) {
    if (forcedStatus != 0) {
      return new Answer(forcedStatus, forcedBody);
    }
    if (requiredAuthorization != null && !requiredAuthorization.equals(authorization)) {
      return error(401, 40101, "Unauthorized");
    }
    String[] parts = path.split("/");
    if (method.equals("GET") && parts.length == 4 && parts[1].equals("schemas")
        && parts[2].equals("ids")) {
      return schemaById(parts[3]);
    }
    if (method.equals("POST") && parts.length >= 3 && parts[1].equals("subjects")) {
      String subject = URLDecoder.decode(parts[2], StandardCharsets.UTF_8);
      Schema schema;
      try {
        JsonNode request = JSON.readTree(body);
        schema = new Schema.Parser().parse(request.path("schema").asText());
      } catch (IOException | SchemaParseException e) {
        return error(422, 42201, "Invalid schema: " + e.getMessage());
      }
      if (parts.length == 4 && parts[3].equals("versions")) {
        return json(JSON.createObjectNode().put("id", registerParsed(subject, schema)));
      }
      if (parts.length == 3) {
        return lookup(subject, schema);
      }
    }
    return error(404, 404, "HTTP 404 Not Found");
  }

  private Answer schemaById(String rawId) {
    int id;
    try {
      id = Integer.parseInt(rawId);
    } catch (NumberFormatException e) {
      return error(404, 404, "HTTP 404 Not Found");
    }
    String schema = schemasById.get(id);
    if (schema == null) {
      return error(404, 40403, "Schema " + id + " not found");
    }
    return json(JSON.createObjectNode().put("schema", schema));
  }

  private Answer lookup(String subject, Schema schema) {
    List<Integer> versions = subjects.get(subject);
    if (versions == null) {
      return error(404, 40401, "Subject '" + subject + "' not found.");
    }
    for (int i = 0; i < versions.size(); i++) {
      int id = versions.get(i);
      if (new Schema.Parser().parse(schemasById.get(id)).equals(schema)) {
        ObjectNode found = JSON.createObjectNode().put("subject", subject).put("version", i + 1)
            .put("id", id).put("schema", schemasById.get(id));
        return json(found);
      }
    }
    return error(404, 40403, "Schema not found");
  }

  private int registerParsed(String subject, Schema schema) {
    int id = -1;
    for (Map.Entry<Integer, String> entry : schemasById.entrySet()) {
      if (new Schema.Parser().parse(entry.getValue()).equals(schema)) {
        id = entry.getKey();
      }
    }
    if (id < 0) {
      id = schemasById.size() + 1;
      schemasById.put(id, schema.toString());
    }
    List<Integer> versions = subjects.computeIfAbsent(subject, s -> new ArrayList<>());
    if (!versions.contains(id)) {
      versions.add(id);
    }
    return id;
  }

  private static Answer json(JsonNode node) {
    return new Answer(200, node.toString());
  }

  private static Answer error(int status, int errorCode, String message) {
    return new Answer(status,
        JSON.createObjectNode().put("error_code", errorCode).put("message", message).toString());
  }
}
