package dev.leakwatch.schemas.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leakwatch.schemas.avro.LeakSuspect;
import dev.leakwatch.schemas.avro.ProfileEnvelope;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.extension.RegisterExtension;

class RestSchemaRegistryTest {

  private static final String SUBJECT = "leakwatch.profiles-value";
  private static final Schema ENVELOPE = ProfileEnvelope.getClassSchema();
  private static final Schema SUSPECT = LeakSuspect.getClassSchema();

  @RegisterExtension
  final FakeConfluentRegistry fake = new FakeConfluentRegistry();
  private SchemaRegistry registry;

  @AfterEach
  void closeClient() {
    if (registry != null) {
      registry.close();
    }
  }

  private SchemaRegistry registry(Map<String, Object> extra) {
    Map<String, Object> config = new HashMap<>(extra);
    config.putIfAbsent(RegistryConfig.URL, fake.url());
    registry = new RegistryConfig(config).createRegistry();
    return registry;
  }

  private SchemaRegistry registry() {
    return registry(Map.of());
  }

  @Test
  void shouldReturnTheIdTheRegistryAssigned() {
    int earlier = fake.preRegister("other-topic-value", SUSPECT);
    int sameSchemaElsewhere = fake.preRegister("mirror-value", ENVELOPE);

    assertEquals(sameSchemaElsewhere, registry().register(SUBJECT, ENVELOPE));
    assertEquals(earlier, registry.register("leakwatch.leak-suspects-value", SUSPECT));
  }

  @Test
  void shouldPostTheSchemaAsJsonWithTheRegistryContentType() throws IOException {
    registry().register(SUBJECT, ENVELOPE);

    FakeConfluentRegistry.Request request = fake.requests().get(0);
    assertEquals("POST", request.method());
    assertEquals("/subjects/leakwatch.profiles-value/versions", request.path());
    assertEquals("application/vnd.schemaregistry.v1+json", request.contentType());
    String sent = new ObjectMapper().readTree(request.body()).path("schema").asText();
    assertEquals(ENVELOPE, new Schema.Parser().parse(sent));
  }

  @Test
  void shouldAskTheRegistryOnceForManyRegistrationsOfTheSameSchema() {
    SchemaRegistry client = registry();
    for (int i = 0; i < 100; i++) {
      client.register(SUBJECT, ENVELOPE);
    }
    assertEquals(1, fake.requests().size());
  }

  @Test
  void shouldFetchSchemaByIdOnceAndServeRepeatsFromCache() {
    int id = fake.preRegister(SUBJECT, ENVELOPE);
    SchemaRegistry client = registry();

    assertEquals(ENVELOPE, client.schemaById(id));
    assertEquals(ENVELOPE, client.schemaById(id));

    assertEquals(List.of("GET /schemas/ids/" + id), fake.requests().stream()
        .map(r -> r.method() + " " + r.path()).toList());
  }

  @Test
  void shouldLookUpAnAlreadyRegisteredSchemaWithoutRegistering() {
    int id = fake.preRegister(SUBJECT, ENVELOPE);

    assertEquals(id, registry().lookup(SUBJECT, ENVELOPE));

    assertEquals(List.of("POST /subjects/leakwatch.profiles-value"), fake.requests().stream()
        .map(r -> r.method() + " " + r.path()).toList());
  }

  @Test
  void shouldReportUnknownSubjectOnLookupWithItsErrorCode() {
    SchemaRegistryException error = assertThrows(SchemaRegistryException.class,
        () -> registry().lookup(SUBJECT, ENVELOPE));

    assertEquals(404, error.httpStatus());
    assertEquals(40401, error.errorCode());
    assertTrue(error.getMessage().contains("POST /subjects/leakwatch.profiles-value"),
        error.getMessage());
    assertTrue(error.getMessage().contains("Subject 'leakwatch.profiles-value' not found"),
        error.getMessage());
  }

  @Test
  void shouldReportSchemaMissingUnderKnownSubjectOnLookup() {
    fake.preRegister(SUBJECT, SUSPECT);

    SchemaRegistryException error = assertThrows(SchemaRegistryException.class,
        () -> registry().lookup(SUBJECT, ENVELOPE));

    assertEquals(40403, error.errorCode());
  }

  @Test
  void shouldReportUnknownSchemaIdWithItsErrorCode() {
    SchemaRegistryException error = assertThrows(SchemaRegistryException.class,
        () -> registry().schemaById(4711));

    assertEquals(404, error.httpStatus());
    assertEquals(40403, error.errorCode());
    assertTrue(error.getMessage().contains("GET /schemas/ids/4711"), error.getMessage());
    assertTrue(error.getMessage().contains(fake.url()), error.getMessage());
  }

  @Test
  void shouldSurfaceInvalidSchemaRejection() {
    fake.answerEverythingWith(422,
        "{\"error_code\":42201,\"message\":\"Either the input schema or one of its references is invalid\"}");

    SchemaRegistryException error = assertThrows(SchemaRegistryException.class,
        () -> registry().register(SUBJECT, ENVELOPE));

    assertEquals(422, error.httpStatus());
    assertEquals(42201, error.errorCode());
    assertTrue(error.getMessage().endsWith(
        "error_code 42201: Either the input schema or one of its references is invalid"),
        error.getMessage());
  }

  @Test
  void shouldSurfaceIncompatibleSchemaRejection() {
    fake.answerEverythingWith(409, "{\"error_code\":409,\"message\":\"Schema being registered is "
        + "incompatible with an earlier schema for subject \\\"leakwatch.profiles-value\\\"\"}");

    SchemaRegistryException error = assertThrows(SchemaRegistryException.class,
        () -> registry().register(SUBJECT, ENVELOPE));

    assertEquals(409, error.httpStatus());
    assertEquals(409, error.errorCode());
    assertTrue(error.getMessage().contains("incompatible with an earlier schema"),
        error.getMessage());
  }

  @Test
  void shouldKeepTheRawBodyOfNonJsonErrors() {
    fake.answerEverythingWith(502, "<html><body>502 Bad Gateway</body></html>");

    SchemaRegistryException error = assertThrows(SchemaRegistryException.class,
        () -> registry().register(SUBJECT, ENVELOPE));

    assertEquals(502, error.httpStatus());
    assertEquals(SchemaRegistryException.NONE, error.errorCode());
    assertTrue(error.getMessage().contains("502 Bad Gateway"), error.getMessage());
  }

  @Test
  void shouldRejectSuccessAnswerThatIsNotJsonAsNotARegistry() {
    fake.answerEverythingWith(200, "<html><body>Welcome to nginx!</body></html>");

    SchemaRegistryException error = assertThrows(SchemaRegistryException.class,
        () -> registry().register(SUBJECT, ENVELOPE));

    assertTrue(error.getMessage().contains("not JSON (is " + fake.url() + " a schema registry's URL?)"),
        error.getMessage());
    assertTrue(error.registryUnavailable(), "a web page says nothing about the schema");
  }

  @ParameterizedTest(name = "HTTP {0} {1}")
  @CsvSource(delimiter = '|', value = {
      "404|<html><body><h1>404 Not Found</h1></body></html>",
      "400|<html><head><title>400 No required SSL certificate was sent</title></head></html>",
      "404|''",
      "404|\"Not Found\""})
  void shouldTellAnErrorPageThatIsNotARegistryAnswerFromAnAnswerAboutTheSchema(int status, String body) {
    fake.answerEverythingWith(status, body);

    SchemaRegistryException error = assertThrows(SchemaRegistryException.class, () -> registry().schemaById(1));

    assertEquals(status, error.httpStatus());
    assertTrue(error.registryUnavailable(), error.getMessage());
    assertFalse(error.retriable(), "a wrong URL or a missing certificate is the operator's to fix");
    assertTrue(error.getMessage().contains("not a schema registry's answer"), error.getMessage());
  }

  @Test
  void shouldTakeAJsonNotFoundFromTheRegistryAsAnAnswerAboutTheSchema() {
    fake.answerEverythingWith(404, "{\"error_code\":40403,\"message\":\"Schema 1 not found\"}");

    SchemaRegistryException error = assertThrows(SchemaRegistryException.class, () -> registry().schemaById(1));

    assertEquals(40403, error.errorCode());
    assertFalse(error.registryUnavailable(), error.getMessage());
  }

  @Test
  void shouldRejectRegistrationAnswerWithoutId() {
    fake.answerEverythingWith(200, "{\"version\":3}");

    SchemaRegistryException error = assertThrows(SchemaRegistryException.class,
        () -> registry().register(SUBJECT, ENVELOPE));

    assertTrue(error.getMessage().contains("without a valid non-negative 32-bit \"id\""),
        error.getMessage());
  }

  @Test
  void shouldRejectNonAvroSchemaById() {
    fake.answerEverythingWith(200,
        "{\"schemaType\":\"PROTOBUF\",\"schema\":\"syntax = \\\"proto3\\\";\"}");

    SchemaRegistryException error = assertThrows(SchemaRegistryException.class,
        () -> registry().schemaById(3));

    assertTrue(error.getMessage().contains("schema id 3 is a PROTOBUF schema, expected AVRO"),
        error.getMessage());
  }

  @Test
  void shouldReportASchemaWithAnInvalidDefaultAsARegistryError() {
    // lenient registries store it; Avro's parser refuses it with an AvroTypeException
    fake.answerEverythingWith(200, "{\"schema\":\"{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"R\\\","
        + "\\\"fields\\\":[{\\\"name\\\":\\\"a\\\",\\\"type\\\":\\\"int\\\",\\\"default\\\":\\\"x\\\"}]}\"}");

    SchemaRegistryException error = assertThrows(SchemaRegistryException.class,
        () -> registry().schemaById(4));

    assertTrue(error.getMessage().startsWith("schema id 4 is not a valid Avro schema: "), error.getMessage());
  }

  @Test
  void shouldRefuseToReadOversizedAnswers() {
    fake.answerEverythingWith(200, "{\"schema\":\"" + "x".repeat(5 << 20) + "\"}");

    SchemaRegistryException error = assertThrows(SchemaRegistryException.class,
        () -> registry().schemaById(1));

    assertTrue(error.getMessage().contains("more than " + RegistryHttpClient.MAX_RESPONSE_BYTES),
        error.getMessage());
  }

  @Test
  void shouldSendBasicAuthenticationFromUserInfo() {
    // RFC 7617, section 2: user "Aladdin", password "open sesame".
    fake.requireAuthorization("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");

    registry(Map.of(RegistryConfig.BASIC_AUTH_USER_INFO, "Aladdin:open sesame"))
        .register(SUBJECT, ENVELOPE);

    assertEquals("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==", fake.requests().get(0).authorization());
  }

  @Test
  void shouldSendBearerToken() {
    fake.requireAuthorization("Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig");

    registry(Map.of(RegistryConfig.BEARER_AUTH_TOKEN, "eyJhbGciOiJIUzI1NiJ9.e30.sig"))
        .register(SUBJECT, ENVELOPE);

    assertEquals("Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig", fake.requests().get(0).authorization());
  }

  @Test
  void shouldReportRejectedCredentials() {
    fake.requireAuthorization("Bearer right");

    SchemaRegistryException error = assertThrows(SchemaRegistryException.class,
        () -> registry(Map.of(RegistryConfig.BEARER_AUTH_TOKEN, "wrong"))
            .register(SUBJECT, ENVELOPE));

    assertEquals(401, error.httpStatus());
    assertEquals(40101, error.errorCode());
    assertTrue(error.registryUnavailable(), "credentials are the operator's to fix, not the record's fault");
  }

  @ParameterizedTest(name = "HTTP {0}: registry unavailable {1}")
  @CsvSource({"500, true", "502, true", "503, true", "408, true", "429, true", "403, true",
      "404, false", "409, false", "422, false", "400, false"})
  void shouldTellARegistryThatCannotBeAskedFromAnAnswerAboutTheSchema(int status, boolean unavailable) {
    fake.answerEverythingWith(status, "{\"error_code\":" + status + "01,\"message\":\"as told\"}");

    SchemaRegistryException error = assertThrows(SchemaRegistryException.class, () -> registry().schemaById(1));

    assertEquals(status, error.httpStatus());
    assertEquals(unavailable, error.registryUnavailable(), error.getMessage());
  }

  @Test
  void shouldFailOverToTheNextUrlWhenOneIsUnreachable() throws IOException {
    String dead = "http://127.0.0.1:" + closedPort();

    long id = registry(Map.of(RegistryConfig.URL, dead + "," + fake.url()))
        .register(SUBJECT, ENVELOPE);

    assertEquals(fake.preRegister(SUBJECT, ENVELOPE), id);
  }

  @Test
  void shouldNameEveryUrlTriedWhenNoneIsReachable() throws IOException {
    String first = "http://127.0.0.1:" + closedPort();
    String second = "http://127.0.0.1:" + closedPort();

    SchemaRegistryException error = assertThrows(SchemaRegistryException.class,
        () -> registry(Map.of(RegistryConfig.URL, first + "," + second))
            .register(SUBJECT, ENVELOPE));

    assertTrue(error.getMessage().startsWith("schema registry unreachable for POST "
        + "/subjects/leakwatch.profiles-value/versions"), error.getMessage());
    assertTrue(error.getMessage().contains(first + " (ConnectException"), error.getMessage());
    assertTrue(error.getMessage().contains(second + " (ConnectException"), error.getMessage());
    assertTrue(error.registryUnavailable());
  }

  @Test
  void shouldGiveUpOnAnUnansweredRequestAfterTheReadTimeout() {
    fake.holdRequests();

    SchemaRegistryException error = assertThrows(SchemaRegistryException.class,
        () -> registry(Map.of(RegistryConfig.READ_TIMEOUT_MS, 200)).schemaById(1));

    assertTrue(error.getMessage().contains("SocketTimeoutException"), error.getMessage());
    assertTrue(error.getMessage().contains("read timeout 200 ms"), error.getMessage());
    assertTrue(error.registryUnavailable());
  }

  @Test
  void shouldEncodeTheSubjectAsOnePathSegment() {
    assertEquals("/subjects/a%20b%2Fc%C3%A9.d_e-f~g", RestSchemaRegistry.subjectPath("a b/cé.d_e-f~g"));
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
