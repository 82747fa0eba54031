package dev.leakwatch.schemas.serde;

import static dev.leakwatch.schemas.serde.TestRecords.PROFILES_TOPIC;
import static dev.leakwatch.schemas.serde.TestRecords.SUSPECTS_TOPIC;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The single-object header checked against the Avro specification rather than against the library
 * the serializer calls: "Schema Fingerprints" defines CRC-64-AVRO as a Rabin fingerprint (written
 * out below from the spec's description), "Parsing Canonical Form" the text it is taken of, and
 * "Single object encoding" the header: {@code C3 01}, then the 8-byte fingerprint little-endian.
 */
class SingleObjectFingerprintTest {

  /** The spec's EMPTY: the fingerprint of no bytes, and the polynomial the table is built from. */
  private static final long EMPTY = 0xc15d213aa4d7a795L;
  private static final long[] TABLE = new long[256];

  static {
    for (int i = 0; i < TABLE.length; i++) {
      long value = i;
      for (int bit = 0; bit < 8; bit++) {
        // shift one bit out; when it was set, fold the polynomial back in
        value = (value >>> 1) ^ (EMPTY & -(value & 1L));
      }
      TABLE[i] = value;
    }
  }

  /** CRC-64-AVRO of {@code text}'s UTF-8 bytes, byte by byte as the spec's reference code does. */
  private static long crc64Avro(String text) {
    long fingerprint = EMPTY;
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      fingerprint = (fingerprint >>> 8) ^ TABLE[(int) (fingerprint ^ b) & 0xff];
    }
    return fingerprint;
  }

  /** Fingerprints from the schema test data Avro's implementations share. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "\"null\" | 7195948357588979594",
      "\"boolean\" | -6970731678124411036",
      "{\"name\":\"foo\",\"type\":\"fixed\",\"size\":15} | 1756455273707447556"})
  void shouldComputeTheFingerprintsOfAvrosSharedTestSchemas(String canonicalForm, long expected) {
    assertEquals(expected, crc64Avro(canonicalForm));
  }

  @Test
  void shouldTakeTheParsingCanonicalFormAsTheSpecDefinesIt() {
    Schema schema = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"Probe\","
        + "\"namespace\":\"dev.leakwatch.test\",\"doc\":\"dropped\",\"aliases\":[\"Old\"],"
        + "\"fields\":[{\"name\":\"at\",\"doc\":\"dropped\",\"default\":0,"
        + "\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}},"
        + "{\"name\":\"kind\",\"type\":{\"symbols\":[\"A\",\"B\"],\"type\":\"enum\",\"name\":\"Kind\","
        + "\"default\":\"A\"}},{\"name\":\"tags\",\"type\":{\"values\":\"string\",\"type\":\"map\"},"
        + "\"default\":{}}]}");

    // [FULLNAMES], [STRIP] (doc, aliases, defaults, logicalType), [PRIMITIVES], [ORDER], no whitespace
    assertEquals("{\"name\":\"dev.leakwatch.test.Probe\",\"type\":\"record\",\"fields\":["
        + "{\"name\":\"at\",\"type\":\"long\"},"
        + "{\"name\":\"kind\",\"type\":{\"name\":\"dev.leakwatch.test.Kind\",\"type\":\"enum\","
        + "\"symbols\":[\"A\",\"B\"]}},"
        + "{\"name\":\"tags\",\"type\":{\"type\":\"map\",\"values\":\"string\"}}]}",
        SchemaNormalization.toParsingForm(schema));
  }

  static Stream<Arguments> records() {
    return Stream.of(Arguments.of(PROFILES_TOPIC, TestRecords.envelope()),
        Arguments.of(SUSPECTS_TOPIC, TestRecords.suspect()));
  }

  @ParameterizedTest
  @MethodSource("records")
  <T extends SpecificRecord> void shouldNameTheWriterSchemaByTheSpecsFingerprintLittleEndian(
      String topic, T record) {
    @SuppressWarnings("unchecked")
    Class<T> type = (Class<T>) record.getClass();
    long expected = crc64Avro(SchemaNormalization.toParsingForm(record.getSchema()));
    byte[] header = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN)
        .put((byte) 0xC3).put((byte) 0x01).putLong(expected).array();

    try (Serde<T> serde = LeakwatchSerdes.forClass(type, Map.of(), false)) {
      byte[] written = serde.serializer().serialize(topic, record);

      assertArrayEquals(header, Arrays.copyOf(written, 10));
    }
  }
}
