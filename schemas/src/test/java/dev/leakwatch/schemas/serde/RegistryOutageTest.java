package dev.leakwatch.schemas.serde;

import static dev.leakwatch.schemas.serde.TestRecords.PROFILES_TOPIC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.schemas.avro.ProfileEnvelope;
import dev.leakwatch.schemas.registry.FakeConfluentRegistry;
import dev.leakwatch.schemas.registry.RegistryConfig;
import dev.leakwatch.schemas.registry.SchemaRegistryException;
import java.io.IOException;
import java.net.InetAddress;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a serde does when the registry cannot give it a schema: a {@link SchemaRegistryException}
 * that says whether retrying can help, so a consumer never mistakes an outage for a bad record.
 */
class RegistryOutageTest {

  @RegisterExtension
  final FakeConfluentRegistry fake = new FakeConfluentRegistry();

  private byte[] writtenThroughTheRegistry() {
    try (Serde<ProfileEnvelope> writer =
        LeakwatchSerdes.profileEnvelope(Map.of(RegistryConfig.URL, fake.url()), false)) {
      return writer.serializer().serialize(PROFILES_TOPIC, TestRecords.envelope());
    }
  }

  private static Deserializer<ProfileEnvelope> reader(String url) {
    return LeakwatchSerdes.profileEnvelope(Map.of(RegistryConfig.URL, url), false).deserializer();
  }

  @Test
  void shouldThrowARetriableRegistryErrorWhenNoRegistryAnswersADeserializer() throws IOException {
    byte[] record = writtenThroughTheRegistry();
    String dead = "http://127.0.0.1:" + closedPort();

    SchemaRegistryException error = assertThrows(SchemaRegistryException.class,
        () -> reader(dead).deserialize(PROFILES_TOPIC, record));

    assertTrue(error.retriable(), error.getMessage());
    assertTrue(error.getMessage().startsWith("topic 'leakwatch.profiles', " + record.length
        + " bytes starting 00 00 00 00 01"), error.getMessage());
    assertTrue(error.getMessage().contains("schema registry unreachable for GET /schemas/ids/1"),
        error.getMessage());
  }

  @Test
  void shouldThrowARetriableRegistryErrorWhenTheRegistryAnswers503ToADeserializer() {
    byte[] record = writtenThroughTheRegistry();
    fake.answerEverythingWith(503, "{\"error_code\":50301,\"message\":\"leader unknown\"}");

    SchemaRegistryException error = assertThrows(SchemaRegistryException.class,
        () -> reader(fake.url()).deserialize(PROFILES_TOPIC, record));

    assertTrue(error.retriable(), error.getMessage());
    assertEquals(503, error.httpStatus());
    assertEquals(50301, error.errorCode());
  }

  @Test
  void shouldDecodeTheSameRecordOnceTheRegistryAnswersAgain() {
    byte[] record = writtenThroughTheRegistry();
    Deserializer<ProfileEnvelope> reader = reader(fake.url());
    fake.answerEverythingWith(503, "{\"error_code\":50301,\"message\":\"leader unknown\"}");
    assertThrows(SchemaRegistryException.class, () -> reader.deserialize(PROFILES_TOPIC, record));

    fake.answerEverythingWith(0, null);

    assertEquals(TestRecords.envelope(), reader.deserialize(PROFILES_TOPIC, record));
  }

  @Test
  void shouldThrowANonRetriableRegistryErrorForAnIdTheRegistryDoesNotKnow() {
    SchemaRegistryException error = assertThrows(SchemaRegistryException.class,
        () -> reader(fake.url()).deserialize(PROFILES_TOPIC,
            new byte[] {0x00, 0x00, 0x00, 0x12, 0x67, 0x02, 0x61}));

    assertFalse(error.retriable(), error.getMessage());
    assertFalse(error.registryUnavailable(), error.getMessage());
    assertEquals(404, error.httpStatus());
    assertEquals(40403, error.errorCode());
  }

  @Test
  void shouldThrowARetriableRegistryErrorWhenNoRegistryAnswersASerializer() throws IOException {
    String dead = "http://127.0.0.1:" + closedPort();
    try (Serde<ProfileEnvelope> writer =
        LeakwatchSerdes.profileEnvelope(Map.of(RegistryConfig.URL, dead), false)) {
      SchemaRegistryException error = assertThrows(SchemaRegistryException.class,
          () -> writer.serializer().serialize(PROFILES_TOPIC, TestRecords.envelope()));

      assertTrue(error.retriable(), error.getMessage());
    }
  }

  @Test
  void shouldNotCallATlsFailureOnEveryUrlRetriable() throws Exception {
    byte[] record = writtenThroughTheRegistry();
    // a plain-HTTP listener behind an https:// URL: it answers the TLS hello in clear text
    try (ServerSocket plain = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread answering = new Thread(() -> answerInClearText(plain));
      answering.start();
      Deserializer<ProfileEnvelope> reader = LeakwatchSerdes.profileEnvelope(Map.of(
          RegistryConfig.URL, "https://127.0.0.1:" + plain.getLocalPort(),
          RegistryConfig.READ_TIMEOUT_MS, 5_000), false).deserializer();

      SchemaRegistryException error = assertThrows(SchemaRegistryException.class,
          () -> reader.deserialize(PROFILES_TOPIC, record));

      assertFalse(error.retriable(), error.getMessage());
      assertTrue(error.registryUnavailable(), "not an answer about the schema: " + error.getMessage());
      assertTrue(error.getMessage().contains("SSLException"), error.getMessage());
      answering.join();
    }
  }

  private static void answerInClearText(ServerSocket server) {
    try (Socket client = server.accept()) {
      client.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      client.getOutputStream().flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
