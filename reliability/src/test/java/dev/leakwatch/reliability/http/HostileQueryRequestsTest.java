package dev.leakwatch.reliability.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leakwatch.http.ApiServer;
import dev.leakwatch.processor.ProcessorConfig;
import dev.leakwatch.processor.ProcessorRuntime;
import dev.leakwatch.processor.TopicBootstrap;
import dev.leakwatch.testing.TestBroker;
import dev.leakwatch.topology.CorpusRecords;
import dev.leakwatch.web.TrickledBody;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Hostile requests against a processor's query API on loopback (a real broker behind it, the
 * recorded heap leak G fed in): path tricks in service names and ids, out-of-range parameters and
 * partitions, undecodable queries, overlong URIs, bad and duplicate tokens, bodies on GET, slow
 * clients and slow bodies. Each gets a precise refusal (the API's
 * JSON names the parameter, the value as decoded and the rule it breaks; the HTTP layer refuses
 * what cannot be decoded); after every test a good question is still answered.
 */
class HostileQueryRequestsTest {

  private static final String TOKEN = "query-token";
  private static final String AUTH = "Authorization: Bearer " + TOKEN + "\r\n";
  private static final String GOOD = "/api/v1/services/session-store/top?metric=inuse_space&limit=3";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static KafkaClusterTestKit cluster;
  private static ProcessorRuntime processor;

  @BeforeAll
  static void start() throws Exception {
    Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "hostile-query")), "run");
    cluster = TestBroker.start(dir.resolve("kafka"), Map.of());
    ProcessorConfig config = ProcessorConfig.parse(String.join("\n", "applicationId: hostile-query",
        "bootstrapServers: " + cluster.bootstrapServers(), "stateDir: " + dir.resolve("state"),
        "commitInterval: 200ms", "topics:", "  partitions: 2", "http:", "  port: 0", "  tokens: [" + TOKEN + "]",
        "  bodyTimeout: 3s", ""));
    TopicBootstrap.ensureTopics(config);
    processor = new ProcessorRuntime(config);
    processor.start();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()), new ByteArraySerializer(),
        new ByteArraySerializer())) {
      for (ProducerRecord<byte[], byte[]> r : CorpusRecords.inCaptureOrder(List.of("G"))) {
        producer.send(r);
      }
    }
    await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).until(() -> get(GOOD).status() == 200);
    // Partitions that do not exist are judged once the instance has seen its assignment while RUNNING
    // (until then, or while a follow-up rebalance runs, the documented answer is a 503): wait for that.
    await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
        .until(() -> get("/api/v1/internal/services?partitions=99999").status() == 400);
  }

  @AfterAll
  static void stop() throws Exception {
    try (KafkaClusterTestKit c = cluster) {
      if (processor != null) {
        processor.close();
      }
    }
  }

  private static int port() {
    return processor.httpPort();
  }

  private static RawHttp.Response get(String pathAndQuery) {
    return RawHttp.exchange(port(), "GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + AUTH + "\r\n");
  }

  private static JsonNode json(RawHttp.Response r) {
    try {
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + r.body(), e);
    }
  }

  /** A 400 from the API naming the parameter, its decoded value and a rule. */
  private static void assertBadParameter(RawHttp.Response r, String parameter, String value, String rule) {
    assertEquals(400, r.status(), r.body());
    JsonNode j = json(r);
    assertEquals("bad_request", j.get("error").asText());
    assertEquals(parameter, j.get("parameter").asText());
    assertEquals(value, j.get("value").asText());
    assertTrue(j.get("rule").asText().contains(rule), j.get("rule").asText());
  }

  @AfterEach
  void goodQuestionStillAnswered() {
    assertEquals(200, get(GOOD).status(), "the API stays up");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "dot-dot | .. | ..",
      "dot | . | .",
      "encoded dot-dot | %2e%2e | ..",
      "encoded traversal | ..%2Fetc | ../etc",
      "encoded slash | a%2Fb | a/b",
      "encoded backslash | a%5Cb | a\\b",
      "surrounding blank | %20s | ' s'",
      "right-to-left override | %E2%80%AEtxt | \u202Etxt",
      "zero-width space | a%E2%80%8Bb | a\u200Bb",
  })
  void shouldRefusePathTricksInServiceNamesNamingTheDecodedValue(String what, String segment, String decoded) {
    assertBadParameter(get("/api/v1/services/" + segment + "/top"), "service", decoded,
        "a service name must be 1 to 255 characters without '/', '\\', control, format (bidi, zero-width)");
  }

  @Test
  void shouldTakeServiceNamesUpTo255CharactersAsTheIngestSideDoes() {
    // the one name rule: 255 characters is a name (unknown here: 404), 256 is not
    RawHttp.Response ok = get("/api/v1/services/" + "s".repeat(255) + "/top");
    assertEquals(404, ok.status(), ok.body());
    assertBadParameter(get("/api/v1/services/" + "s".repeat(256) + "/top"), "service", "s".repeat(200) + "...",
        "is longer than 255 characters (256)");
  }

  @Test
  void shouldRefuseControlCharactersAndOverlongServiceNames() {
    assertBadParameter(get("/api/v1/services/a%0D%0ASet-Cookie:x"), "service", "a\r\nSet-Cookie:x",
        "contains control characters (U+000D) at index 1");
    RawHttp.Response r = get("/api/v1/services/" + "s".repeat(5000));
    assertEquals(400, r.status());
    JsonNode j = json(r);
    assertEquals("service", j.get("parameter").asText());
    assertTrue(j.get("rule").asText().contains("1 to 255 characters"), r.body());
    // the refusal echoes the value, but only the start of it: an error body stays small
    assertTrue(j.get("value").asText().startsWith("s".repeat(100)), r.body());
    assertTrue(r.body().length() < 2000, "error body of " + r.body().length() + " chars");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "encoded NUL | /api/v1/services/a%00b",
      "overlong UTF-8 slash | /api/v1/services/%C0%AF",
      "lone percent | /api/v1/services/%",
      "bad percent escape | /api/v1/services/%zz",
  })
  void shouldRefuseUndecodablePathsAtTheHttpLayerWith400(String what, String path) {
    assertEquals(400, get(path).status(), what);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "dot-dot segments | /api/v1/services/x/../../services",
      "double slash | /api/v1//services",
      "unknown resource | /api/v1/services/session-store/secrets",
  })
  void shouldAnswerUnnormalisedPathsAsUnknownResources(String what, String path) {
    RawHttp.Response r = get(path);
    assertEquals(404, r.status(), r.body());
    assertEquals("not_found", json(r).get("error").asText());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "huge limit | /api/v1/services/session-store/top?limit=99999999999999999999 | limit | 99999999999999999999 | [1, 1000]",
      "negative frames | /api/v1/services/session-store/top?frames=-1 | frames | -1 | [1, 1024]",
      "time before 1970 | /api/v1/services/session-store/top?from=now-99999999999d | from | now-99999999999d | between 1970 and 9999",
      "from after to | /api/v1/services/session-store/top?from=2026-01-01T00:00:00Z&to=2025-01-01T00:00:00Z | from | 2026-01-01T00:00:00Z | must be before to",
      "unknown metric | /api/v1/services/session-store/top?metric=cpu | metric | cpu | must be one of",
      "repeated parameter | /api/v1/services/session-store/top?limit=1&limit=2 | limit | 1,2 | at most once",
      "traversal as suspect id | /api/v1/suspects/..%2F.. | id | ../.. | 32 hex digits",
      "overlong suspect id | /api/v1/suspects/ffffffffffffffffffffffffffffffffffffffff | id | ffffffffffffffffffffffffffffffffffffffff | 32 hex digits",
      "bad site id | /api/v1/services/session-store/sites/zz/series | siteId | zz | 16 hex digits",
      "negative partition | /api/v1/internal/suspects?partitions=-1 | partitions | -1 | [0, 100000)",
      "partition beyond the count | /api/v1/internal/suspects?partitions=0,2 | partitions | 0,2 | partition 2 does not exist: store suspect-lifecycle has 2 partitions (0 to 1)",
      "partition far beyond the count | /api/v1/internal/services?partitions=99999 | partitions | 99999 | partition 99999 does not exist: store instance-series has 2 partitions (0 to 1)",
      "suspect part beyond the count | /api/v1/internal/suspects/0123456789abcdef0123456789abcdef?partitions=7 | partitions | 7 | partition 7 does not exist",
      "bad percent-escape in a query | /api/v1/internal/services?partitions=0&service=%zz | service | %zz | bad percent-escape '%zz' at index 0",
      "invalid UTF-8 in a query | /api/v1/internal/services?partitions=0&service=%C0%AF | service | %C0%AF | percent-escapes in '%C0%AF' do not decode to valid UTF-8",
  })
  void shouldRefuseOutOfRangeParametersNamingTheRule(String what, String path, String parameter, String value, String rule) {
    assertBadParameter(get(path), parameter, value, rule);
  }

  @Test
  void shouldRefuseOverlongUriWith414() {
    assertEquals(414, get("/api/v1/services?" + "a=b&".repeat(ApiServer.MAX_REQUEST_HEAD_BYTES / 4 + 1)).status());
  }

  @Test
  void shouldRefuseBadTokensPrecisely() {
    String q = "GET /api/v1/services HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    RawHttp.Response none = RawHttp.exchange(port(), q + "\r\n");
    assertEquals(401, none.status());
    assertEquals("Bearer realm=\"leakwatch\"", none.header("WWW-Authenticate"));
    assertEquals(401, RawHttp.exchange(port(), q + "Authorization: Basic cXVlcnk6dG9rZW4=\r\n\r\n").status());
    assertEquals(401, RawHttp.exchange(port(), q + "Authorization: Bearer\r\n\r\n").status());
    RawHttp.Response wrong = RawHttp.exchange(port(), q + "Authorization: Bearer query-tokem\r\n\r\n");
    assertEquals(403, wrong.status());
    assertEquals("bearer token not accepted", json(wrong).get("message").asText());
    assertEquals(431, RawHttp.exchange(port(), q + "Authorization: Bearer " + "x".repeat(ApiServer.MAX_REQUEST_HEAD_BYTES + 1)
        + "\r\n\r\n").status());
  }

  @Test
  void shouldRefuseTwoAuthorizationHeadersEvenWhenOneIsValid() {
    for (String second : new String[] {AUTH, "Authorization: Bearer query-tokem\r\n"}) {
      RawHttp.Response r = RawHttp.exchange(port(), "GET " + GOOD + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + AUTH + second
          + "\r\n");
      assertEquals(400, r.status(), r.body());
      assertEquals("bad_request", json(r).get("error").asText());
      assertEquals("Authorization header given 2 times; send exactly one", json(r).get("message").asText());
    }
  }

  @Test
  void shouldAnswer408ToALoginFormTrickledPastTheBodyDeadline() throws Exception {
    try (RawHttp c = new RawHttp(port(), Duration.ofSeconds(30))) {
      c.send("POST /ui/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
          + "Content-Length: 100000\r\n\r\ntoken=");
      try (TrickledBody body = TrickledBody.start(c.output(), "x".repeat(100_000).getBytes(StandardCharsets.US_ASCII),
          100)) {
        RawHttp.Response r = c.read();
        assertEquals(408, r.status(), r.body());
        assertEquals("timeout", json(r).get("error").asText());
        assertTrue(json(r).get("message").asText().contains("did not arrive within 3000 ms"), r.body());
        assertTrue(body.sent() < 100_000, "answered while the body was still coming");
      }
    }
  }

  @Test
  void shouldAnswerGetWithoutWaitingForAHugeDeclaredBody() {
    RawHttp.Response r = RawHttp.exchange(port(),
        "GET " + GOOD + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + AUTH + "Content-Length: 10737418240\r\n\r\n");
    assertEquals(200, r.status());
  }

  @Test
  void shouldKeepAnsweringWhileSlowClientsHoldConnections() throws Exception {
    try (SlowClients slow = SlowClients.start(port(), 100, 20,
        "GET " + GOOD + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + AUTH + "Content-Length: 100000\r\n\r\n")) {
      await().atMost(Duration.ofSeconds(60)).until(() -> slow.trickled() >= 120 * 10);
      for (int i = 0; i < 5; i++) {
        assertEquals(200, get(GOOD).status(), "question " + i + " during the attack");
      }
      assertEquals(200, RawHttp.exchange(port(), "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").status());
      assertTrue(slow.stillOpen() >= 100, "the slow clients were still connected: " + slow.stillOpen());
    }
  }
}
