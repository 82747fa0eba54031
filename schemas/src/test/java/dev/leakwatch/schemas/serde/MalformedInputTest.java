package dev.leakwatch.schemas.serde;

import static dev.leakwatch.schemas.serde.TestRecords.PROFILES_TOPIC;
import static dev.leakwatch.schemas.serde.TestRecords.SUSPECTS_TOPIC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.schemas.avro.LeakSuspect;
import dev.leakwatch.schemas.avro.ProfileEnvelope;
import dev.leakwatch.schemas.registry.FakeConfluentRegistry;
import dev.leakwatch.schemas.registry.RegistryConfig;
import dev.leakwatch.schemas.registry.SchemaRegistryException;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.FutureTask;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.RawMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class MalformedInputTest {

  private static Deserializer<ProfileEnvelope> bundledEnvelopes() {
    return LeakwatchSerdes.profileEnvelope(Map.of(), false).deserializer();
  }

  private static Deserializer<LeakSuspect> bundledSuspects() {
    return LeakwatchSerdes.leakSuspect(Map.of(), false).deserializer();
  }

  private static SerializationException rejected(Deserializer<?> deserializer, String topic,
      byte[] data) {
    return assertThrows(SerializationException.class,
        () -> deserializer.deserialize(topic, data));
  }

  private static void assertMessageContains(Throwable error, String... parts) {
    for (String part : parts) {
      assertTrue(error.getMessage().contains(part),
          "expected \"" + part + "\" in: " + error.getMessage());
    }
  }

  /** Header for the current LeakSuspect schema, as Avro's single-object encoding defines it. */
  private static byte[] suspectHeader() {
    return ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN).put((byte) 0xC3).put((byte) 0x01)
        .putLong(SchemaNormalization.parsingFingerprint64(LeakSuspect.getClassSchema())).array();
  }

  private static byte[] concat(byte[] first, byte[] second) {
    byte[] joined = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, joined, first.length, second.length);
    return joined;
  }

  @Test
  void shouldRejectJsonNamingTopicFirstBytesAndExpectedFramings() {
    byte[] json = "{\"service\":\"checkout-api\"}".getBytes(StandardCharsets.UTF_8);

    SerializationException error = rejected(bundledEnvelopes(), PROFILES_TOPIC, json);

    assertMessageContains(error, "topic 'leakwatch.profiles'", "26 bytes starting 7b 22 73 65",
        "expected magic byte 0x00 (Confluent wire format) or 0xC3 0x01 (Avro single-object encoding)");
  }

  @Test
  void shouldRejectEmptyValue() {
    SerializationException error = rejected(bundledEnvelopes(), PROFILES_TOPIC, new byte[0]);

    assertMessageContains(error, "0 bytes", "unknown framing");
  }

  @Test
  void shouldRejectSingleObjectMarkerWithWrongVersionByte() {
    SerializationException error = rejected(bundledEnvelopes(), PROFILES_TOPIC,
        new byte[] {(byte) 0xC3, 0x02, 1, 2, 3, 4, 5, 6, 7, 8, 9});

    assertMessageContains(error, "starting c3 02", "unknown framing");
  }

  @Test
  void shouldRejectTruncatedConfluentHeader() {
    SerializationException error = rejected(bundledEnvelopes(), PROFILES_TOPIC,
        new byte[] {0x00, 0x00, 0x01});

    assertMessageContains(error, "3 bytes", "truncated Confluent wire format",
        "expected a 5-byte header");
  }

  @Test
  void shouldRejectTruncatedSingleObjectHeader() {
    SerializationException error = rejected(bundledEnvelopes(), PROFILES_TOPIC,
        new byte[] {(byte) 0xC3, 0x01, 0x10, 0x20});

    assertMessageContains(error, "4 bytes", "truncated Avro single-object encoding",
        "expected a 10-byte header");
  }

  @Test
  void shouldRejectUnknownFingerprintListingTheBundledOnes() {
    byte[] valid = LeakwatchSerdes.profileEnvelope(Map.of(), false).serializer()
        .serialize(PROFILES_TOPIC, TestRecords.envelope());
    ByteBuffer.wrap(valid, 2, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(0x1122334455667788L);

    SerializationException error = rejected(bundledEnvelopes(), PROFILES_TOPIC, valid);

    assertMessageContains(error, "topic 'leakwatch.profiles'",
        "unknown schema fingerprint 0x1122334455667788", "ProfileEnvelope@0x");
    assertInstanceOf(SchemaRegistryException.class, error.getCause());
  }

  @Test
  void shouldRejectConfluentFramingWhenNoRegistryIsConfigured() {
    SerializationException error = rejected(bundledEnvelopes(), PROFILES_TOPIC,
        new byte[] {0x00, 0x00, 0x00, 0x00, 0x07, 0x02, 0x61});

    assertMessageContains(error, "Confluent wire format (schema id 7)",
        "no schema registry is configured; set " + RegistryConfig.URL);
  }

  @Test
  void shouldRejectUnknownRegistryIdWithTheRegistrysErrorCode() throws IOException {
    try (FakeConfluentRegistry fake = new FakeConfluentRegistry();
        Serde<ProfileEnvelope> serde =
            LeakwatchSerdes.profileEnvelope(Map.of(RegistryConfig.URL, fake.url()), false)) {
      SerializationException error = rejected(serde.deserializer(), PROFILES_TOPIC,
          new byte[] {0x00, 0x00, 0x00, 0x12, 0x67, 0x02, 0x61});

      assertMessageContains(error, "topic 'leakwatch.profiles'", "GET /schemas/ids/4711",
          "HTTP 404", "error_code 40403");
      SchemaRegistryException cause = assertInstanceOf(SchemaRegistryException.class,
          error.getCause());
      assertEquals(40403, cause.errorCode());
    }
  }

  @Test
  void shouldRejectWriterSchemaOfAnotherRecord() throws IOException {
    try (FakeConfluentRegistry fake = new FakeConfluentRegistry();
        Serde<LeakSuspect> suspects =
            LeakwatchSerdes.leakSuspect(Map.of(RegistryConfig.URL, fake.url()), false);
        Serde<ProfileEnvelope> envelopes =
            LeakwatchSerdes.profileEnvelope(Map.of(RegistryConfig.URL, fake.url()), false)) {
      byte[] suspect = suspects.serializer().serialize(SUSPECTS_TOPIC, TestRecords.suspect());

      SerializationException error = rejected(envelopes.deserializer(), SUSPECTS_TOPIC, suspect);

      assertMessageContains(error, "writer schema dev.leakwatch.schemas.avro.LeakSuspect",
          "cannot be read as dev.leakwatch.schemas.avro.ProfileEnvelope", "NAME_MISMATCH");
    }
  }

  @Test
  void shouldRejectTruncatedBodyAsMalformed() {
    byte[] valid = LeakwatchSerdes.leakSuspect(Map.of(), false).serializer()
        .serialize(SUSPECTS_TOPIC, TestRecords.suspect());
    byte[] truncated = Arrays.copyOf(valid, valid.length / 2);

    SerializationException error = rejected(bundledSuspects(), SUSPECTS_TOPIC, truncated);

    assertMessageContains(error, "malformed Avro body for LeakSuspect",
        "written with schema fingerprint 0x");
    assertInstanceOf(EOFException.class, error.getCause());
  }

  @Test
  void shouldRejectBytesLeftOverAfterTheRecord() {
    byte[] valid = LeakwatchSerdes.leakSuspect(Map.of(), false).serializer()
        .serialize(SUSPECTS_TOPIC, TestRecords.suspect());

    SerializationException error = rejected(bundledSuspects(), SUSPECTS_TOPIC,
        concat(valid, new byte[] {0x00}));

    assertMessageContains(error, "bytes left over after the LeakSuspect record");
  }

  @Test
  void shouldRejectStringLengthBeyondTheMessageWithoutAllocatingIt() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(body, null);
    encoder.writeLong(1L << 30); // suspectId claims 1 GiB of characters
    encoder.writeFixed("abc".getBytes(StandardCharsets.UTF_8));

    SerializationException error = rejected(bundledSuspects(), SUSPECTS_TOPIC,
        concat(suspectHeader(), body.toByteArray()));

    assertMessageContains(error, "malformed Avro body for LeakSuspect", "bytes are available");
    assertInstanceOf(EOFException.class, error.getCause());
  }

  @Test
  void shouldRejectArrayCountBeyondTheMessageWithoutAllocatingIt() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(body, null);
    encoder.writeString("session-gateway/HEAP/3f9c2a7d");
    encoder.writeString("session-gateway");
    encoder.writeLong(1_500_000_000L); // instances claims 1.5 billion entries
    encoder.writeString("replica-0");

    SerializationException error = rejected(bundledSuspects(), SUSPECTS_TOPIC,
        concat(suspectHeader(), body.toByteArray()));

    assertMessageContains(error, "malformed Avro body for LeakSuspect", "bytes are available");
    assertInstanceOf(EOFException.class, error.getCause());
  }

  @Test
  void shouldRejectValuesNestedDeeperThanTheStackAllowsAsMalformed() throws Exception {
    // A newer writer added a recursive field, which this reader skips; the hostile record nests it
    // one byte per level, far deeper than the small stack the decoding thread is given here.
    Schema link = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"Link\","
        + "\"namespace\":\"dev.leakwatch.test\",\"fields\":[{\"name\":\"next\","
        + "\"type\":[\"null\",\"Link\"],\"default\":null}]}");
    Schema chained = TestRecords.withField(LeakSuspect.getClassSchema(), new Schema.Field("chain",
        Schema.createUnion(Schema.create(Schema.Type.NULL), link), null, JsonProperties.NULL_VALUE));
    try (FakeConfluentRegistry fake = new FakeConfluentRegistry();
        Serde<LeakSuspect> suspects =
            LeakwatchSerdes.leakSuspect(Map.of(RegistryConfig.URL, fake.url()), false)) {
      int id = fake.preRegister(SUSPECTS_TOPIC + "-value", chained);
      byte[] deep = chainedRecord(id, 100_000);
      byte[] shallow = chainedRecord(id, 3);
      FutureTask<SerializationException> decoding = new FutureTask<>(() -> {
        SerializationException error = rejected(suspects.deserializer(), SUSPECTS_TOPIC, deep);
        assertEquals(TestRecords.suspect(),
            suspects.deserializer().deserialize(SUSPECTS_TOPIC, shallow), "decodes on afterwards");
        return error;
      });
      Thread smallStack = new Thread(null, decoding, "small-stack", 256 * 1024);
      smallStack.start();

      assertMessageContains(decoding.get(), "topic 'leakwatch.leak-suspects'",
          "malformed Avro body for LeakSuspect written with schema id " + id,
          "nested deeper than the decoding thread's stack allows");
    }
  }

  /** The test suspect framed with {@code id}, its added recursive field {@code depth} links deep. */
  private static byte[] chainedRecord(int id, int depth) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0);
    out.writeBytes(ByteBuffer.allocate(4).putInt(id).array());
    out.writeBytes(new RawMessageEncoder<LeakSuspect>(SpecificData.getForClass(LeakSuspect.class),
        LeakSuspect.getClassSchema()).encode(TestRecords.suspect()).array());
    for (int i = 0; i < depth; i++) {
      out.write(2); // union branch 1: one more Link
    }
    out.write(0); // union branch 0: null, the end of the chain
    return out.toByteArray();
  }

  @Test
  void shouldRefuseToEncodeARecordMissingARequiredFieldNamingIt() {
    ProfileEnvelope incomplete = TestRecords.envelope();
    incomplete.setInstance(null);

    SerializationException error = assertThrows(SerializationException.class,
        () -> LeakwatchSerdes.profileEnvelope(Map.of(), false).serializer()
            .serialize(PROFILES_TOPIC, incomplete));

    assertMessageContains(error, "cannot encode dev.leakwatch.schemas.avro.ProfileEnvelope",
        "topic 'leakwatch.profiles'", "ProfileEnvelope.instance");
  }

  @Test
  void shouldKeepDecodingGoodRecordsAfterRejectingBadOnes() {
    Deserializer<LeakSuspect> deserializer = bundledSuspects();
    byte[] valid = LeakwatchSerdes.leakSuspect(Map.of(), false).serializer()
        .serialize(SUSPECTS_TOPIC, TestRecords.suspect());
    rejected(deserializer, SUSPECTS_TOPIC, Arrays.copyOf(valid, 20));

    assertEquals(TestRecords.suspect(), deserializer.deserialize(SUSPECTS_TOPIC, valid));
  }
}
