package dev.leakwatch.schemas.serde;

import static dev.leakwatch.schemas.serde.TestRecords.PROFILES_TOPIC;
import static dev.leakwatch.schemas.serde.TestRecords.SUSPECTS_TOPIC;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.List;
import java.util.Map;
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

/**
 * Records of a few bytes that declare huge contents: each is refused without allocating or walking
 * what it declares (string and array lengths of LeakSuspect: {@link MalformedInputTest}).
 */
class HostileBodyBoundsTest {

  private static SerializationException rejected(Deserializer<?> deserializer, String topic,
      byte[] data) {
    return assertThrows(SerializationException.class, () -> deserializer.deserialize(topic, data));
  }

  private static void assertMessageContains(Throwable error, String part) {
    assertTrue(error.getMessage().contains(part), "expected \"" + part + "\" in: " + error.getMessage());
  }

  /** A single-object ProfileEnvelope whose fields up to {@code labels} are small and valid. */
  private static ByteArrayOutputStream envelopeUpToLabels() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN).put((byte) 0xC3)
        .put((byte) 0x01).putLong(SchemaNormalization.parsingFingerprint64(
            ProfileEnvelope.getClassSchema())).array());
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    encoder.writeString("svc");
    encoder.writeString("i-1");
    encoder.writeEnum(0); // profileType HEAP
    encoder.writeLong(0); // captureTime
    return out;
  }

  /** The error decoding {@code record} as a ProfileEnvelope, found truncated before allocating. */
  private static SerializationException rejectedAsTruncated(ByteArrayOutputStream record) {
    SerializationException error = rejected(
        LeakwatchSerdes.profileEnvelope(Map.of(), false).deserializer(), PROFILES_TOPIC,
        record.toByteArray());
    assertInstanceOf(EOFException.class, error.getCause());
    return error;
  }

  @Test
  void shouldRejectALabelsMapCountBeyondTheMessage() throws IOException {
    ByteArrayOutputStream record = envelopeUpToLabels();
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(record, null);
    encoder.writeLong(1L << 30); // labels claims a billion entries
    encoder.writeString("k");

    assertMessageContains(rejectedAsTruncated(record), "malformed Avro body for ProfileEnvelope");
  }

  @Test
  void shouldRejectAProfileLengthBeyondTheMessage() throws IOException {
    ByteArrayOutputStream record = envelopeUpToLabels();
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(record, null);
    encoder.writeLong(0); // no labels
    encoder.writeIndex(0); // memoryLimitBytes null
    encoder.writeEnum(0); // source SCRAPE
    encoder.writeIndex(0); // agent null
    encoder.writeLong(Integer.MAX_VALUE - 16); // profile claims 2 GiB

    assertMessageContains(rejectedAsTruncated(record), "bytes are available");
  }

  @Test
  void shouldRefuseAWriterSchemaWithAnArrayOfItemsThatTakeNoBytes() throws IOException {
    // A newer writer's added field, skipped by this reader: 100 million nulls in 5 bytes.
    Schema current = LeakSuspect.getClassSchema();
    Schema padded = TestRecords.withField(current, new Schema.Field("pad",
        Schema.createArray(Schema.create(Schema.Type.NULL)), null, List.of()));
    try (FakeConfluentRegistry fake = new FakeConfluentRegistry();
        Serde<LeakSuspect> suspects =
            LeakwatchSerdes.leakSuspect(Map.of(RegistryConfig.URL, fake.url()), false)) {
      ByteArrayOutputStream record = new ByteArrayOutputStream();
      record.write(0);
      record.writeBytes(ByteBuffer.allocate(4)
          .putInt(fake.preRegister(SUSPECTS_TOPIC + "-value", padded)).array());
      record.writeBytes(new RawMessageEncoder<LeakSuspect>(SpecificData.getForClass(LeakSuspect.class),
          current).encode(TestRecords.suspect()).array());
      BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(record, null);
      encoder.writeLong(100_000_000L);
      encoder.writeLong(0);

      SerializationException error = rejected(suspects.deserializer(), SUSPECTS_TOPIC,
          record.toByteArray());

      assertMessageContains(error, "has an array of items that take no bytes at LeakSuspect.pad[]");
      assertFalse(error instanceof SchemaRegistryException, "an answer about the schema, not an outage");
    }
  }
}
