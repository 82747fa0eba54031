package dev.leakwatch.schemas.serde;

import static dev.leakwatch.schemas.serde.TestRecords.PROFILES_TOPIC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.schemas.avro.LeakSuspect;
import dev.leakwatch.schemas.avro.ProfileEnvelope;
import dev.leakwatch.schemas.registry.FakeConfluentRegistry;
import dev.leakwatch.schemas.registry.RecordingRegistry;
import dev.leakwatch.schemas.registry.RegistryConfig;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

/** The serdes as Kafka clients create them: by class name, configured from client properties. */
class KafkaClientConfigurationTest {

  @Test
  @SuppressWarnings("unchecked")
  void shouldRoundTripWithInstancesCreatedByClassName() throws Exception {
    try (FakeConfluentRegistry fake = new FakeConfluentRegistry();
        Serializer<ProfileEnvelope> serializer = Utils.newInstance(
            SpecificAvroSerializer.class.getName(), Serializer.class);
        Deserializer<ProfileEnvelope> deserializer = Utils.newInstance(
            SpecificAvroDeserializer.class.getName(), Deserializer.class)) {
      Map<String, Object> clientProperties = Map.of(
          "bootstrap.servers", "broker-1:9092",
          RegistryConfig.URL, fake.url(),
          SerdeConfig.READER_CLASS, ProfileEnvelope.class.getName());
      serializer.configure(clientProperties, false);
      deserializer.configure(clientProperties, false);

      byte[] bytes = serializer.serialize(PROFILES_TOPIC, TestRecords.envelope());

      assertEquals(0, bytes[0]);
      assertEquals(TestRecords.envelope(), deserializer.deserialize(PROFILES_TOPIC, bytes));
    }
  }

  @Test
  void shouldFailConsumerCreationWhenTheReaderClassIsMissing() {
    Map<String, Object> properties = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9",
        ConsumerConfig.GROUP_ID_CONFIG, "leakwatch-test",
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, SpecificAvroDeserializer.class.getName());

    KafkaException error = assertThrows(KafkaException.class,
        () -> new KafkaConsumer<String, ProfileEnvelope>(properties).close());

    Throwable cause = error;
    while (cause.getCause() != null && !(cause instanceof ConfigException)) {
      cause = cause.getCause();
    }
    assertTrue(cause.getMessage().contains(SerdeConfig.READER_CLASS + " is required"),
        cause.getMessage());
  }

  @Test
  void shouldRejectAReaderClassThatIsNotAnAvroRecord() {
    try (SpecificAvroDeserializer<?> deserializer = new SpecificAvroDeserializer<>()) {
      ConfigException error = assertThrows(ConfigException.class, () -> deserializer.configure(
          Map.of(SerdeConfig.READER_CLASS, String.class.getName()), false));

      assertTrue(error.getMessage().contains("not a generated Avro SpecificRecord class"),
          error.getMessage());
    }
  }

  @Test
  void shouldWorkWithDefaultsWhenNeverConfigured() {
    try (Serde<LeakSuspect> serde = new LeakSuspectSerde()) {
      byte[] bytes = serde.serializer().serialize("leakwatch.leak-suspects", TestRecords.suspect());

      assertEquals((byte) 0xC3, bytes[0]);
      assertEquals(TestRecords.suspect(),
          serde.deserializer().deserialize("leakwatch.leak-suspects", bytes));
    }
  }

  @Test
  void shouldUseTheRegistryClassNamedInTheConfiguration() {
    int before = RecordingRegistry.REGISTRATIONS.get();
    try (Serde<ProfileEnvelope> serde = LeakwatchSerdes.profileEnvelope(
        Map.of(RegistryConfig.REGISTRY_CLASS, RecordingRegistry.class.getName()), false)) {
      byte[] bytes = serde.serializer().serialize(PROFILES_TOPIC, TestRecords.envelope());

      assertEquals((byte) 0xC3, bytes[0]);
      assertEquals(before + 1, RecordingRegistry.REGISTRATIONS.get());
      assertEquals(TestRecords.envelope(), serde.deserializer().deserialize(PROFILES_TOPIC, bytes));
    }
  }

  @Test
  void shouldLeaveAnInjectedRegistryOpenOnClose() {
    RecordingRegistry injected = new RecordingRegistry();

    new SpecificAvroSerde<>(ProfileEnvelope.class, injected).close();

    assertFalse(injected.closed());
  }

  @Test
  void shouldRejectASerializationWithoutTopicWhenTheSubjectNeedsOne() {
    try (Serde<ProfileEnvelope> serde = new ProfileEnvelopeSerde()) {
      assertThrows(SerializationException.class,
          () -> serde.serializer().serialize(null, TestRecords.envelope()));
    }
  }
}
