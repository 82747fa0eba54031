package dev.leakwatch.agent.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leakwatch.agent.Agent;
import dev.leakwatch.agent.model.ProfileKind;
import dev.leakwatch.agent.testing.Fixtures;
import dev.leakwatch.agent.testing.Http;
import dev.leakwatch.agent.testing.TestConfigs;
import dev.leakwatch.web.TrickledBody;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code POST /ingest} on a running agent whose Kafka is unreachable: every answer here is decided
 * before Kafka matters (and the unreachable broker is what lets the buffer fill up for the 503).
 */
class PushEndpointTest {
  private static final String TOKEN = "s3cret-token";
  private static final int MAX_BODY = 256 * 1024;
  private static final String QUERY = "/ingest?service=orders&instance=orders-0&type=heap";

  private Agent agent;
  private Http http;
  private byte[] heap;

  @BeforeEach
  void start() {
    heap = Fixtures.profile(ProfileKind.HEAP);
    agent =
        Agent.start(
            TestConfigs.parse(
                TestConfigs.kafka(TestConfigs.unreachableBootstrap())
                    + "push:\n  tokens: [" + TOKEN + ", other-token]\n  maxBodySize: " + MAX_BODY
                    + "\nscrape:\n  maxBodySize: " + MAX_BODY
                    + "\nbuffer:\n  maxRecords: 1\n  maxBytes: 1MiB\n",
                Path.of(".")));
    http = new Http(agent.httpPort());
  }

  @AfterEach
  void stop() {
    agent.close();
  }

  private HttpResponse<String> push(String query, byte[] body) {
    return pushAuthorized("Bearer " + TOKEN, query, body);
  }

  /** A push with the given Authorization header value (none when null). */
  private HttpResponse<String> pushAuthorized(String authorization, String query, byte[] body) {
    HttpRequest.Builder req = http.request(query).POST(BodyPublishers.ofByteArray(body));
    if (authorization != null) {
      req.header("Authorization", authorization);
    }
    return http.send(req);
  }

  private static void assertError(HttpResponse<String> r, int status, String code, String message) {
    assertEquals(status, r.statusCode(), r.body());
    assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
    JsonNode json = Http.json(r);
    assertEquals(status, json.get("status").asInt());
    assertEquals(code, json.get("error").asText());
    assertTrue(
        json.get("message").asText().contains(message),
        "message '" + json.get("message").asText() + "' should contain '" + message + "'");
  }

  @Test
  void shouldAcceptPprofBodyWith202AndJsonReceipt() {
    HttpResponse<String> r =
        push(QUERY + "&time=2025-01-31T12:00:00Z&label.region=eu&memoryLimit=512MiB", heap);

    assertEquals(202, r.statusCode(), r.body());
    JsonNode json = Http.json(r);
    assertEquals("accepted", json.get("status").asText());
    assertEquals("orders/orders-0", json.get("key").asText());
    assertEquals("heap", json.get("type").asText());
    assertEquals("2025-01-31T12:00:00Z", json.get("captureTime").asText());
    assertEquals(heap.length, json.get("bytes").asInt());
    assertEquals(1.0, agent.metrics().total("leakwatch.agent.pushes"));
    assertEquals(1, agent.buffer().accepted());
  }

  @Test
  void shouldAcceptTokenSchemeCaseInsensitively() {
    HttpResponse<String> r = pushAuthorized("bearer other-token", QUERY, heap);
    assertEquals(202, r.statusCode(), r.body());
  }

  @Test
  void shouldAnswer401WithChallengeWhenAuthorizationIsMissing() {
    HttpResponse<String> r = pushAuthorized(null, QUERY, heap);

    assertError(r, 401, "unauthorized", "missing Authorization: Bearer <token> header");
    assertEquals("Bearer realm=\"leakwatch\"", r.headers().firstValue("WWW-Authenticate").orElse(""));
  }

  @Test
  void shouldAnswer401WhenSchemeIsNotBearer() {
    HttpResponse<String> r = pushAuthorized("Basic dXNlcjpwYXNz", QUERY, heap);
    assertError(r, 401, "unauthorized", "must use the Bearer scheme");
  }

  @Test
  void shouldAnswer403ForTokenNotConfigured() {
    HttpResponse<String> r = pushAuthorized("Bearer s3cret-tokem", QUERY, heap);
    assertError(r, 403, "forbidden", "bearer token not accepted");
    assertEquals(0, agent.buffer().accepted());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "no service | /ingest?instance=i&type=heap | service is required",
        "blank instance | /ingest?service=s&instance=%20&type=heap | instance is required",
        "no type | /ingest?service=s&instance=i | type is required (one of heap, goroutine, allocs, goroutineleak)",
        "bad type | /ingest?service=s&instance=i&type=cpu | type 'cpu' is not one of heap, goroutine, allocs, goroutineleak",
        "slash in service | /ingest?service=a/b&instance=i&type=heap | service must not contain '/'",
        "dot-dot service | /ingest?service=..&instance=i&type=heap | service must not be '..'",
        "dot instance | /ingest?service=s&instance=.&type=heap | instance must not be '.'",
        "backslash | /ingest?service=a%5Cb&instance=i&type=heap | service must not contain '\\' at index 1",
        "surrounding blank | /ingest?service=%20s&instance=i&type=heap | service must not start or end with whitespace",
        "bidi override | /ingest?service=%E2%80%AEtxt.exe&instance=i&type=heap | service contains the format character U+202E",
        "invalid UTF-8 | /ingest?service=%C0%AF&instance=i&type=heap | parameter 'service': percent-escapes in '%C0%AF' do not decode to valid UTF-8",
        "256 characters | /ingest?service=s&instance=iiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiii&type=heap | instance is longer than 255 characters (256)",
        "bad time | /ingest?service=s&instance=i&type=heap&time=yesterday | time 'yesterday' is neither RFC 3339",
        "future time | /ingest?service=s&instance=i&type=heap&time=2999-01-01T00:00:00Z | is more than 5 minutes in the future",
        "Unix seconds | /ingest?service=s&instance=i&type=heap&time=1738324800 | time 1738324800 is 1970-01-21T02:52:04.800Z in Unix milliseconds, before 2000-01-01T00:00:00Z: Unix seconds? send 1738324800000",
        "ancient RFC 3339 time | /ingest?service=s&instance=i&type=heap&time=0025-01-31T12:00:00Z | time 0025-01-31T12:00:00Z is before 2000-01-01T00:00:00Z",
        "bad memoryLimit | /ingest?service=s&instance=i&type=heap&memoryLimit=lots | memoryLimit: 'lots' is not a size",
        "unknown parameter | /ingest?service=s&instance=i&type=heap&servce=x | unknown parameter 'servce'",
        "repeated parameter | /ingest?service=s&service=t&instance=i&type=heap | parameter 'service' given more than once",
      })
  void shouldAnswer400NamingTheBadParameter(String what, String query, String message) {
    assertError(push(query, heap), 400, "bad_parameter", message);
  }

  @Test
  void shouldAnswer400NamingABadPercentEscapeInsteadOfAMissingParameter() throws IOException {
    // java.net.URI refuses to carry %zz, so the request is written by hand
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), agent.httpPort())) {
      s.setSoTimeout(30_000);
      s.getOutputStream().write(("POST /ingest?service=%zz&instance=i&type=heap HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Authorization: Bearer " + TOKEN + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(response.startsWith("HTTP/1.1 400"), response);
      assertTrue(response.contains("parameter 'service': bad percent-escape '%zz' at index 0"), response);
    }
  }

  @Test
  void shouldAcceptNameOfExactly255Characters() {
    HttpResponse<String> r = push("/ingest?service=" + "s".repeat(255) + "&instance=i&type=heap", heap);
    assertEquals(202, r.statusCode(), r.body());
  }

  @Test
  void shouldAnswer400ForTwoAuthorizationHeadersEvenIfOneIsValid() {
    HttpRequest.Builder req =
        http.request(QUERY)
            .header("Authorization", "Bearer " + TOKEN)
            .header("Authorization", "Bearer wrong")
            .POST(BodyPublishers.ofByteArray(heap));
    assertError(http.send(req), 400, "bad_header", "Authorization header given 2 times; send exactly one");
    assertEquals(0, agent.buffer().accepted());
  }

  @Test
  void shouldAnswer408WhenBodyTricklesPastTheBodyDeadline() throws Exception {
    try (Agent slow =
            Agent.start(
                TestConfigs.parse(
                    TestConfigs.kafka(TestConfigs.unreachableBootstrap())
                        + "http:\n  port: 0\n  bodyTimeout: 500ms\npush:\n  tokens: [" + TOKEN + "]\n",
                    Path.of(".")));
        Socket s = new Socket(InetAddress.getLoopbackAddress(), slow.httpPort())) {
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      out.write(("POST " + QUERY + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TOKEN
              + "\r\nContent-Length: " + heap.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      // one byte every 50 ms: never idle long enough for Jetty's idle timeout, far too slow overall
      try (TrickledBody body = TrickledBody.start(out, heap, 50)) {
        String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(response.startsWith("HTTP/1.1 408"), response);
        assertTrue(response.contains("\"error\":\"timeout\""), response);
        assertTrue(response.contains("the request body did not arrive within 500 ms"), response);
        assertTrue(body.sent() < heap.length, "the whole body was sent: " + body.sent());
      }
      assertEquals(0, slow.buffer().accepted());
      assertEquals(1.0, slow.metrics().total("leakwatch.agent.pushes"));
    }
  }

  @Test
  void shouldAnswer400WhenBodyIsHtmlNotPprof() {
    byte[] html = "<!DOCTYPE html><html><body>login</body></html>".getBytes(StandardCharsets.UTF_8);
    assertError(push(QUERY, html), 400, "not_pprof", "body is not a pprof profile:");
  }

  @Test
  void shouldAnswer400WhenBodyIsEmpty() {
    assertError(push(QUERY, new byte[0]), 400, "not_pprof", "body is not a pprof profile: empty body");
  }

  @Test
  void shouldAnswer400WhenGzipBodyIsTruncated() {
    byte[] cut = Arrays.copyOf(heap, 40);
    assertError(push(QUERY, cut), 400, "not_pprof", "body is not a pprof profile:");
  }

  @Test
  void shouldAnswer400WhenGzipBodyIsCutOffPastWhatItsFirstBytesTell() {
    byte[] typical = Fixtures.typicalHeap();
    byte[] cut = Arrays.copyOf(typical, typical.length / 2);
    assertError(push(QUERY, cut), 400, "not_pprof", "body is not a pprof profile: gzip stream is truncated");
    assertEquals(0, agent.buffer().accepted());
  }

  @Test
  void shouldAnswer413FromDeclaredLengthWithoutReadingBody() {
    HttpResponse<String> r = push(QUERY, new byte[MAX_BODY + 1]);
    assertError(r, 413, "too_large", "Content-Length " + (MAX_BODY + 1) + " exceeds the limit of " + MAX_BODY + " bytes");
  }

  @Test
  void shouldAnswer413WhileStreamingBodyOfUnknownLength() {
    byte[] big = new byte[MAX_BODY * 4];
    System.arraycopy(heap, 0, big, 0, Math.min(heap.length, big.length));
    HttpResponse<String> r =
        http.send(
            http.request(QUERY)
                .header("Authorization", "Bearer " + TOKEN)
                .POST(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))));
    assertError(r, 413, "too_large", "body exceeds the limit of " + MAX_BODY + " bytes");
  }

  @Test
  void shouldAnswer503WithRetryAfterWhenBufferIsFull() {
    // Kafka is unreachable, so the publisher takes nothing (the topic is not known to exist): the
    // first push fills the one-record buffer and the second finds no room.
    assertEquals(202, push(QUERY, heap).statusCode());
    HttpResponse<String> r = push(QUERY, heap);

    assertError(r, 503, "buffer_full", "the agent's buffer is full");
    assertEquals("5", r.headers().firstValue("Retry-After").orElse(""));
    assertEquals(0, agent.buffer().dropped(), "a refused push evicts nobody");
  }

  @Test
  void shouldCountPushesByStatusInMetrics() {
    push(QUERY, heap);
    pushAuthorized(null, QUERY, heap);

    String metrics = http.get("/metrics").body();
    assertTrue(metrics.contains("leakwatch_agent_pushes_total{status=\"202\"} 1.0"), metrics);
    assertTrue(metrics.contains("leakwatch_agent_pushes_total{status=\"401\"} 1.0"), metrics);
  }

  @Test
  void shouldRefuseGetOnIngestWith405() {
    assertEquals(405, http.send(http.request(QUERY).GET()).statusCode());
  }

  @Test
  void shouldNotServeIngestWhenPushIsDisabled() {
    try (Agent noPush =
        Agent.start(
            TestConfigs.parse(
                TestConfigs.kafka(TestConfigs.unreachableBootstrap()) + "push:\n  enabled: false\n",
                Path.of(".")))) {
      Http h = new Http(noPush.httpPort());
      HttpRequest.Builder req = h.request(QUERY).POST(BodyPublishers.ofByteArray(heap));
      assertEquals(404, h.send(req).statusCode());
    }
  }
}
