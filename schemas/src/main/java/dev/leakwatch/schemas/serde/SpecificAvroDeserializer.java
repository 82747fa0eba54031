package dev.leakwatch.schemas.serde;

import dev.leakwatch.schemas.registry.RegistryConfig;
import dev.leakwatch.schemas.registry.SchemaRegistry;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads generated Avro records in either framing, whatever the configuration: Confluent wire format
 * (first byte {@code 0x00}; the writer schema comes from the configured registry by id) and Avro
 * single-object encoding (first bytes {@code 0xC3 0x01}; the writer schema comes from the bundled
 * history by fingerprint). The writer schema is resolved against the reader class's schema (schema
 * evolution: fields added since get their defaults).
 *
 * <p>Null bytes deserialize to null. Anything else that cannot be decoded fails with a {@link
 * SerializationException} naming the topic, the first bytes and what was expected. Usable as a Kafka
 * deserializer class: give the reader class with {@link SerdeConfig#READER_CLASS}. Thread-safe once
 * configured.
 *
 * @param <T> the generated record type
 */
public class SpecificAvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {

  private final SchemaRegistry injected;
  private Class<T> type;
  private volatile RecordDecoder<T> decoder;

  /** For Kafka's reflective construction; the reader class comes from the configuration. */
  public SpecificAvroDeserializer() {
    this(null, null);
  }

  /** A deserializer producing {@code type}; the registry comes from {@link #configure}. */
  public SpecificAvroDeserializer(Class<T> type) {
    this(type, null);
  }

  /**
   * A deserializer producing {@code type} with writer schemas from {@code registry}, which the caller
   * owns and closes. Single-object writer schemas are looked up in the bundled history first, then
   * in {@code registry} if it names schemas by fingerprint.
   *
   * @param type generated record class, or null to read it from the configuration
   * @param registry registry to use, or null to let the configuration choose
   */
  public SpecificAvroDeserializer(Class<T> type, SchemaRegistry registry) {
    AvroClassTrust.ensureTrusted();
    this.type = type;
    this.injected = registry;
  }

  /** Reads {@link RegistryConfig} and {@link SerdeConfig} keys; unrelated keys are ignored. */
  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    if (type == null) {
      type = readerClassFrom(new SerdeConfig(configs));
    }
    RegistryConfig registryConfig = new RegistryConfig(configs);
    SchemaRegistry registry = injected != null ? injected : registryConfig.createRegistry();
    RecordDecoder<T> previous = decoder;
    decoder = new RecordDecoder<>(type, registry, injected == null,
        registryConfig.getInt(RegistryConfig.CACHE_CAPACITY));
    if (previous != null) {
      previous.close();
    }
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    RecordDecoder<T> current = decoder;
    if (current == null) {
      // Serdes handed to the Streams DSL are not always configured: fall back to the defaults.
      configure(Map.of(), false);
      current = decoder;
    }
    return current.decode(topic, data);
  }

  /** Closes the registry if this deserializer created it. */
  @Override
  public void close() {
    RecordDecoder<T> current = decoder;
    if (current != null) {
      current.close();
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> Class<T> readerClassFrom(SerdeConfig config) {
    Class<?> configured = config.readerClass();
    if (configured == null) {
      throw new ConfigException(SerdeConfig.READER_CLASS + " is required when the deserializer "
          + "is created without a reader class");
    }
    if (!SpecificRecord.class.isAssignableFrom(configured)) {
      throw new ConfigException(SerdeConfig.READER_CLASS, configured.getName(),
          "not a generated Avro SpecificRecord class");
    }
    return (Class<T>) configured;
  }
}
