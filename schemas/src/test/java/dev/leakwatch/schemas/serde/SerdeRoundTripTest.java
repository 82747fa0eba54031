package dev.leakwatch.schemas.serde;

import static dev.leakwatch.schemas.serde.TestRecords.PROFILES_TOPIC;
import static dev.leakwatch.schemas.serde.TestRecords.SUSPECTS_TOPIC;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.leakwatch.schemas.avro.LeakSuspect;
import dev.leakwatch.schemas.avro.ProfileEnvelope;
import dev.leakwatch.schemas.registry.FakeConfluentRegistry;
import dev.leakwatch.schemas.registry.RegistryConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.RawMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SerdeRoundTripTest {

  @RegisterExtension
  final FakeConfluentRegistry fake = new FakeConfluentRegistry();

  static Stream<Arguments> records() {
    return Stream.of(
        Arguments.of(PROFILES_TOPIC, TestRecords.envelope()),
        Arguments.of(SUSPECTS_TOPIC, TestRecords.suspect()));
  }

  private static <T extends SpecificRecord> Serde<T> serde(T record, Map<String, ?> config) {
    @SuppressWarnings("unchecked")
    Class<T> type = (Class<T>) record.getClass();
    return LeakwatchSerdes.forClass(type, config, false);
  }

  private Map<String, Object> registryConfig() {
    return Map.of(RegistryConfig.URL, fake.url());
  }

  @ParameterizedTest
  @MethodSource("records")
  <T extends SpecificRecord> void shouldRoundTripThroughSingleObjectEncoding(String topic, T record) {
    try (Serde<T> serde = serde(record, Map.of())) {
      byte[] bytes = serde.serializer().serialize(topic, record);

      assertEquals(record, serde.deserializer().deserialize(topic, bytes));
    }
  }

  @ParameterizedTest
  @MethodSource("records")
  <T extends SpecificRecord> void shouldFrameSingleObjectWithMarkerAndLittleEndianFingerprint(
      String topic, T record) {
    try (Serde<T> serde = serde(record, Map.of())) {
      byte[] bytes = serde.serializer().serialize(topic, record);

      assertEquals((byte) 0xC3, bytes[0]);
      assertEquals((byte) 0x01, bytes[1]);
      long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
      assertEquals(SchemaNormalization.parsingFingerprint64(record.getSchema()), fingerprint);
    }
  }

  @ParameterizedTest
  @MethodSource("records")
  <T extends SpecificRecord> void shouldWriteExactlyWhatAvrosOwnSingleObjectEncoderWrites(
      String topic, T record) throws IOException {
    BinaryMessageEncoder<T> avro =
        new BinaryMessageEncoder<>(SpecificData.getForClass(record.getClass()), record.getSchema());
    try (Serde<T> serde = serde(record, Map.of())) {
      byte[] ours = serde.serializer().serialize(topic, record);
      byte[] theirs = avro.encode(record).array();

      assertArrayEquals(theirs, ours);
      assertEquals(record, serde.deserializer().deserialize(topic, theirs));
    }
  }

  @ParameterizedTest
  @MethodSource("records")
  <T extends SpecificRecord> void shouldRoundTripThroughConfluentWireFormat(String topic, T record) {
    try (Serde<T> producerSide = serde(record, registryConfig());
        Serde<T> consumerSide = serde(record, registryConfig())) {
      byte[] bytes = producerSide.serializer().serialize(topic, record);

      assertEquals(record, consumerSide.deserializer().deserialize(topic, bytes));
    }
  }

  @ParameterizedTest
  @MethodSource("records")
  <T extends SpecificRecord> void shouldFrameConfluentWithMagicZeroBigEndianIdAndPlainAvroBody(
      String topic, T record) throws IOException {
    try (Serde<T> serde = serde(record, registryConfig())) {
      byte[] bytes = serde.serializer().serialize(topic, record);

      int registryId = fake.preRegister(topic + "-value", record.getSchema());
      assertEquals(0, bytes[0]);
      assertEquals(registryId, ByteBuffer.wrap(bytes, 1, 4).order(ByteOrder.BIG_ENDIAN).getInt());
      byte[] avroBody = new RawMessageEncoder<T>(SpecificData.getForClass(record.getClass()),
          record.getSchema()).encode(record).array();
      assertArrayEquals(avroBody, Arrays.copyOfRange(bytes, 5, bytes.length));
    }
  }

  @Test
  void shouldRegisterUnderTopicValueSubjectOnceForManyRecords() {
    try (Serde<ProfileEnvelope> producerSide = LeakwatchSerdes.profileEnvelope(registryConfig(), false);
        Serde<ProfileEnvelope> consumerSide = LeakwatchSerdes.profileEnvelope(registryConfig(), false)) {
      for (int i = 0; i < 50; i++) {
        byte[] bytes = producerSide.serializer().serialize(PROFILES_TOPIC, TestRecords.envelope());
        consumerSide.deserializer().deserialize(PROFILES_TOPIC, bytes);
      }
    }

    int id = fake.preRegister(PROFILES_TOPIC + "-value", ProfileEnvelope.getClassSchema());
    assertEquals(List.of("POST /subjects/leakwatch.profiles-value/versions",
            "GET /schemas/ids/" + id),
        fake.requests().stream().map(r -> r.method() + " " + r.path()).toList());
  }

  @Test
  void shouldRegisterKeySchemasUnderTopicKeySubject() {
    try (Serde<LeakSuspect> keySerde = LeakwatchSerdes.leakSuspect(registryConfig(), true)) {
      keySerde.serializer().serialize(SUSPECTS_TOPIC, TestRecords.suspect());
    }

    assertEquals("/subjects/leakwatch.leak-suspects-key/versions", fake.requests().get(0).path());
  }

  @Test
  void shouldOnlyLookUpTheSchemaWhenAutoRegisterIsOff() {
    int id = fake.preRegister(SUSPECTS_TOPIC + "-value", LeakSuspect.getClassSchema());
    Map<String, Object> config = Map.of(RegistryConfig.URL, fake.url(),
        SerdeConfig.AUTO_REGISTER_SCHEMAS, false);

    try (Serde<LeakSuspect> serde = LeakwatchSerdes.leakSuspect(config, false)) {
      byte[] bytes = serde.serializer().serialize(SUSPECTS_TOPIC, TestRecords.suspect());

      assertEquals(id, ByteBuffer.wrap(bytes, 1, 4).getInt());
    }
    assertEquals(List.of("POST /subjects/leakwatch.leak-suspects-value"),
        fake.requests().stream().map(r -> r.method() + " " + r.path()).toList());
  }

  @Test
  void shouldReadSingleObjectRecordsWhenConfiguredForARegistry() {
    byte[] bundled;
    try (Serde<ProfileEnvelope> withoutRegistry = LeakwatchSerdes.profileEnvelope(Map.of(), false)) {
      bundled = withoutRegistry.serializer().serialize(PROFILES_TOPIC, TestRecords.envelope());
    }

    try (Serde<ProfileEnvelope> withRegistry =
        LeakwatchSerdes.profileEnvelope(registryConfig(), false)) {
      assertEquals(TestRecords.envelope(),
          withRegistry.deserializer().deserialize(PROFILES_TOPIC, bundled));
    }
    assertEquals(List.of(), fake.requests());
  }

  @Test
  void shouldMapNullToNullBothWays() {
    try (Serde<ProfileEnvelope> serde = LeakwatchSerdes.profileEnvelope(registryConfig(), false)) {
      assertNull(serde.serializer().serialize(PROFILES_TOPIC, null));
      assertNull(serde.deserializer().deserialize(PROFILES_TOPIC, null));
    }
    assertEquals(List.of(), fake.requests());
  }
}
