package dev.leakwatch.reliability.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leakwatch.agent.Agent;
import dev.leakwatch.agent.model.ProfileKind;
import dev.leakwatch.agent.testing.Fixtures;
import dev.leakwatch.agent.testing.TestBroker;
import dev.leakwatch.agent.testing.TestConfigs;
import dev.leakwatch.web.TrickledBody;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Hostile requests against the agent's push endpoint ({@code POST /ingest}) on loopback, with a
 * real broker behind it: huge and endless bodies, lying lengths, slow clients and bodies, bad and
 * duplicate tokens, path tricks in the URL and in service names. Each gets a precise refusal (status and, from the
 * endpoint, a JSON body naming the problem); nothing refused is admitted; after every test a
 * good push is still accepted, and at the end exactly the accepted pushes are in Kafka.
 *
 * <p>The endpoint's ordinary refusals (each parameter, 401/403, 413 on both paths, 503) are
 * covered by ingest's {@code PushEndpointTest}; this campaign adds what a well-behaved HTTP
 * client cannot send.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileIngestRequestsTest {

  static final String TOKEN = "campaign-token";
  static final int MAX_BODY = 256 * 1024;
  /** The agent's {@code http.bodyTimeout} here: how long a whole request body may take. */
  static final String BODY_TIMEOUT = "3s";
  static final String QUERY = "?service=checkout&instance=checkout-0&type=heap";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Path work;
  private static TestBroker broker;
  private static Agent agent;
  private static byte[] heap;
  /** Pushes this test saw accepted (202): the only ones allowed into the buffer and the topic. */
  private static final AtomicInteger accepted = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    heap = Fixtures.profile(ProfileKind.HEAP);
    work = Files.createTempDirectory(Files.createDirectories(Path.of("target", "hostile-http")), "run");
    broker = TestBroker.start();
    agent = Agent.start(TestConfigs.parse("kafka:\n  partitions: 1\n  replicationFactor: 1\n  client:\n"
        + "    bootstrap.servers: " + broker.bootstrapServers() + "\n"
        + "http:\n  port: 0\n  bodyTimeout: " + BODY_TIMEOUT + "\n"
        + "push:\n  tokens: [" + TOKEN + "]\n  maxBodySize: " + MAX_BODY + "\n"
        + "scrape:\n  maxBodySize: " + MAX_BODY + "\n", work));
  }

  @AfterAll
  static void stop() {
    if (agent != null) {
      agent.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  static int port() {
    return agent.httpPort();
  }

  /** A complete request with a correct token and the given extra header lines and body. */
  static String request(String pathAndQuery, String headers, String body) {
    return "POST " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TOKEN + "\r\n"
        + headers + "\r\n" + body;
  }

  /** A good push with a real Go profile; counts it when accepted. */
  static RawHttp.Response push(String pathAndQuery, String authorization) {
    try (RawHttp c = new RawHttp(port(), Duration.ofSeconds(10))) {
      c.send("POST " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
          + "Content-Length: " + heap.length + "\r\nConnection: close\r\n\r\n");
      c.send(heap);
      RawHttp.Response r = c.read();
      if (r.status() == 202) {
        accepted.incrementAndGet();
      }
      return r;
    } catch (IOException e) {
      throw new AssertionError("push failed: " + e, e);
    }
  }

  /** Status, error code and message fragment of a JSON refusal from the endpoint. */
  static void assertRefusal(RawHttp.Response r, int status, String code, String fragment) {
    assertEquals(status, r.status(), r.body());
    try {
      JsonNode json = JSON.readTree(r.body());
      assertEquals(code, json.get("error").asText(), r.body());
      assertTrue(json.get("message").asText().contains(fragment), "'" + fragment + "' not in " + r.body());
    } catch (IOException e) {
      throw new AssertionError("not a JSON refusal: " + r.body(), e);
    }
  }

  @AfterEach
  void goodPushStillAcceptedAndNothingRefusedAdmitted() {
    assertEquals(202, push("/ingest" + QUERY, "Bearer " + TOKEN).status(), "the service stays up");
    assertEquals(accepted.get(), agent.buffer().accepted(), "only accepted pushes were admitted");
  }

  @Test
  @Order(1)
  void shouldRefuseTenGibibyteDeclaredBodyWith413WithoutWaitingForIt() throws IOException {
    try (RawHttp c = new RawHttp(port(), Duration.ofSeconds(10))) {
      c.send(request("/ingest" + QUERY, "Content-Length: 10737418240\r\n", ""));
      RawHttp.Response r = c.read();
      assertRefusal(r, 413, "too_large", "Content-Length 10737418240 exceeds the limit of " + MAX_BODY + " bytes");
      assertEquals("close", r.header("Connection"));
    }
  }

  @Test
  @Order(2)
  void shouldStopReadingEndlessChunkedBodyAtTheLimitWith413() throws IOException {
    long sent = 0;
    try (RawHttp c = new RawHttp(port(), Duration.ofSeconds(10))) {
      c.send(request("/ingest" + QUERY, "Transfer-Encoding: chunked\r\n", ""));
      byte[] chunk = new byte[64 * 1024];
      System.arraycopy(heap, 0, chunk, 0, Math.min(heap.length, chunk.length));
      try {
        for (; sent < 256L << 20; sent += chunk.length) {
          c.send(Integer.toHexString(chunk.length) + "\r\n");
          c.send(chunk);
          c.send("\r\n");
        }
      } catch (IOException closedByServer) {
        // expected: the server stops reading and closes once the limit is passed
      }
      assertRefusal(c.read(), 413, "too_large", "body exceeds the limit of " + MAX_BODY + " bytes");
    }
    assertTrue(sent < 256L << 20, "the server read the endless body to the end: " + sent + " bytes");
  }

  @Test
  @Order(3)
  void shouldAnswer400WhenBodyEndsBeforeItsDeclaredLength() throws IOException {
    try (RawHttp c = new RawHttp(port(), Duration.ofSeconds(10))) {
      c.send(request("/ingest" + QUERY, "Content-Length: 100000\r\n", "only ten b"));
      c.finishSending();
      assertRefusal(c.read(), 400, "bad_body", "could not read the body after 10 bytes");
    }
  }

  @Test
  @Order(4)
  void shouldRefuseUnauthenticatedBodyWith401BeforeReadingIt() throws IOException {
    // a client that never sends its body gets its answer at once: the token is checked first
    try (RawHttp c = new RawHttp(port(), Duration.ofSeconds(10))) {
      c.send("POST /ingest" + QUERY + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n\r\nstall");
      RawHttp.Response r = c.read();
      assertRefusal(r, 401, "unauthorized", "missing Authorization: Bearer <token> header");
      assertEquals("Bearer realm=\"leakwatch\"", r.header("WWW-Authenticate"));
    }
  }

  @ParameterizedTest(name = "{0}")
  @Order(5)
  @CsvSource(delimiter = '|', value = {
      "two lengths | Content-Length: 10\\r\\nContent-Length: 20",
      "length and chunked | Content-Length: 10\\r\\nTransfer-Encoding: chunked",
      "negative length | Content-Length: -5",
      "length not a number | Content-Length: ten",
  })
  void shouldRefuseConflictingOrInvalidLengthsWith400(String what, String headers) {
    String lines = headers.replace("\\r\\n", "\r\n") + "\r\n";
    assertEquals(400, RawHttp.exchange(port(), request("/ingest" + QUERY, lines, "0123456789")).status(), what);
  }

  @ParameterizedTest(name = "{0}")
  @Order(6)
  @CsvSource(delimiter = '|', value = {
      "no header | | 401 | unauthorized | missing Authorization",
      "scheme only | Bearer | 401 | unauthorized | must use the Bearer scheme",
      "basic scheme | Basic Y2FtcGFpZ246dG9rZW4= | 401 | unauthorized | must use the Bearer scheme",
      "wrong token | Bearer campaign-tokem | 403 | forbidden | bearer token not accepted",
      "token prefix | Bearer campaign | 403 | forbidden | bearer token not accepted",
      "token plus suffix | Bearer campaign-token2 | 403 | forbidden | bearer token not accepted",
      "non-ASCII token | Bearer cámpaign-token | 403 | forbidden | bearer token not accepted",
  })
  void shouldRefuseBadTokensPrecisely(String what, String authorization, int status, String code, String fragment) {
    assertRefusal(push("/ingest" + QUERY, authorization), status, code, fragment);
  }

  @Test
  @Order(7)
  void shouldRefuseTokensWithControlCharactersOrOfHugeSizeAtTheHttpLayer() {
    assertEquals(400, push("/ingest" + QUERY, "Bearer " + TOKEN + "\u0001").status(), "control character");
    assertEquals(431, push("/ingest" + QUERY, "Bearer " + "x".repeat(20_000)).status(), "20 kB header");
  }

  @ParameterizedTest(name = "{0}")
  @Order(8)
  @CsvSource(delimiter = '|', value = {
      "dot-dot-slash | ../etc | service must not contain '/'",
      "encoded dot-dot-slash | ..%2F..%2Fetc%2Fpasswd | service must not contain '/'",
      "encoded slash | a%2Fb | service must not contain '/'",
      "lone encoded slash | %2F | service must not contain '/'",
      "NUL | a%00b | service contains control characters",
      "CRLF header injection | s%0D%0ASet-Cookie:x | service contains control characters",
      "terminal escape | %1B%5B31mred | service contains control characters",
      "DEL | a%7Fb | service contains control characters",
      "broken percent encoding | %zz | parameter 'service': bad percent-escape '%zz' at index 0",
      "dot-dot | .. | service must not be '..'",
      "dot | . | service must not be '.'",
      "backslash | a%5Cb | service must not contain '\\'",
      "surrounding blank | %20s | service must not start or end with whitespace",
      "overlong UTF-8 slash | %C0%AF | parameter 'service': percent-escapes in '%C0%AF' do not decode to valid UTF-8",
      "right-to-left override | %E2%80%AEtxt.exe | service contains the format character U+202E",
      "zero-width space | a%E2%80%8Bb | service contains the format character U+200B",
      "line separator | a%E2%80%A8b | service contains the separator U+2028",
  })
  void shouldRefusePathTricksInServiceNamesWithTheReason(String what, String service, String fragment) {
    RawHttp.Response r = push("/ingest?service=" + service + "&instance=i&type=heap", "Bearer " + TOKEN);
    assertRefusal(r, 400, "bad_parameter", fragment);
  }

  @Test
  @Order(8)
  void shouldRefuseServiceNameOfTwoHundredFiftySixCharacters() {
    RawHttp.Response r = push("/ingest?service=" + "s".repeat(256) + "&instance=i&type=heap", "Bearer " + TOKEN);
    assertRefusal(r, 400, "bad_parameter", "service is longer than 255 characters");
  }

  @Test
  @Order(9)
  void shouldAcceptTheSameNamesTheQueryApiAcceptsUpTo255Characters() throws IOException {
    // the one name rule: what the push endpoint admits, the query API can be asked about
    for (String service : new String[] {"s".repeat(255), "a..b", "pay%20ments", "%E8%AE%A2%E5%8D%95"}) {
      RawHttp.Response r = push("/ingest?service=" + service + "&instance=i&type=heap", "Bearer " + TOKEN);
      assertEquals(202, r.status(), service + ": " + r.body());
    }
    assertEquals("订单/i", JSON.readTree(push("/ingest?service=%E8%AE%A2%E5%8D%95&instance=i&type=heap",
        "Bearer " + TOKEN).body()).get("key").asText());
  }

  @Test
  @Order(9)
  void shouldRefuseTwoAuthorizationHeadersEvenWhenOneIsValid() {
    for (String second : new String[] {"Bearer " + TOKEN, "Bearer wrong"}) {
      RawHttp.Response r = push("/ingest" + QUERY, "Bearer " + TOKEN + "\r\nAuthorization: " + second);
      assertRefusal(r, 400, "bad_header", "Authorization header given 2 times; send exactly one");
    }
  }

  @ParameterizedTest(name = "{0}")
  @Order(10)
  @CsvSource(delimiter = '|', value = {
      "double slash | //ingest | 404",
      "dot segment | /./ingest | 404",
      "dot-dot segment | /x/../ingest | 404",
      "encoded dot-dot | /%2e%2e/ingest | 400",
      "encoded slash | /ingest%2Fx | 404",
      "upper case | /INGEST | 404",
      "path parameter | /ingest;a=b | 404",
      "encoded NUL | /ingest%00 | 400",
  })
  void shouldRefusePathTricksOnTheEndpoint(String what, String path, int status) {
    assertEquals(status, push(path + QUERY, "Bearer " + TOKEN).status(), what);
  }

  @Test
  @Order(11)
  void shouldAnswer408ToABodyTrickledPastTheBodyDeadline() throws Exception {
    try (RawHttp c = new RawHttp(port(), Duration.ofSeconds(30))) {
      c.send(request("/ingest" + QUERY, "Content-Length: " + heap.length + "\r\n", ""));
      try (TrickledBody body = TrickledBody.start(c.output(), heap, 100)) {
        RawHttp.Response r = c.read();
        assertRefusal(r, 408, "timeout", "the request body did not arrive within 3000 ms");
        assertEquals("close", r.header("Connection"));
        assertTrue(body.sent() < heap.length, "answered while the body was still coming: " + body.sent());
      }
    }
  }

  @Test
  @Order(12)
  void shouldKeepAcceptingPushesWhileSlowClientsHoldConnectionsAndCutSlowBodiesAtTheDeadline() throws Exception {
    try (SlowClients slow = SlowClients.start(port(), 100, 20,
        request("/ingest" + QUERY, "Content-Length: " + MAX_BODY + "\r\n", ""))) {
      // every slow connection has been dribbling for a while (ten bytes each on average)
      await().atMost(Duration.ofSeconds(60)).until(() -> slow.trickled() >= 120 * 10);
      assertEquals(200, RawHttp.exchange(port(), "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").status());
      for (int i = 0; i < 5; i++) {
        assertEquals(202, push("/ingest" + QUERY, "Bearer " + TOKEN).status(), "push " + i + " during the attack");
      }
      // the 20 body tricklers are answered 408 and closed at the body deadline (without it they
      // would hold a server thread each for as long as they kept trickling); the 100 endless heads stay
      await().atMost(Duration.ofSeconds(20)).until(() -> slow.stillOpen() == 100);
    }
  }

  @Test
  @Order(13)
  void shouldHavePublishedExactlyTheAcceptedPushes() {
    int expected = accepted.get();
    await().atMost(Duration.ofSeconds(30)).until(() -> broker.readAll("leakwatch.profiles").size() >= expected);
    assertEquals(expected, broker.readAll("leakwatch.profiles").size(), "accepted pushes, each once");
  }
}
