package dev.leakwatch.schemas.serde;

import dev.leakwatch.schemas.registry.RegistryConfig;
import dev.leakwatch.schemas.registry.SchemaRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes generated Avro records framed for the configured registry: Confluent wire format with a
 * schema registry ({@code schema.registry.url}), Avro single-object encoding without one.
 *
 * <p>The writer schema is the record's own ({@link SpecificRecord#getSchema()}), registered (or looked
 * up, with {@code auto.register.schemas=false}) under the subject {@code <topic>-value} or {@code
 * <topic>-key} (TopicNameStrategy). Null records serialize to null (tombstones). Usable as a Kafka
 * {@code key.serializer}/{@code value.serializer} class. Thread-safe once configured.
 *
 * @param <T> the generated record type
 */
public class SpecificAvroSerializer<T extends SpecificRecord> implements Serializer<T> {

  private final Map<Class<?>, DatumWriter<T>> writers = new ConcurrentHashMap<>();
  private final SchemaRegistry injected;
  private volatile Settings settings;

  /** For Kafka's reflective construction; settings come from {@link #configure}. */
  public SpecificAvroSerializer() {
    this(null);
  }

  /**
   * A serializer using {@code registry}, which the caller owns and closes.
   *
   * @param registry the registry to use instead of the one the configuration selects; null to let
   *     the configuration choose
   */
  public SpecificAvroSerializer(SchemaRegistry registry) {
    AvroClassTrust.ensureTrusted();
    this.injected = registry;
  }

  /** Reads {@link RegistryConfig} and {@link SerdeConfig} keys; unrelated keys are ignored. */
  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    Settings previous = settings;
    SchemaRegistry registry =
        injected != null ? injected : new RegistryConfig(configs).createRegistry();
    settings = new Settings(registry, injected == null, new SerdeConfig(configs).autoRegisterSchemas(),
        isKey);
    if (previous != null) {
      previous.close();
    }
  }

  @Override
  public byte[] serialize(String topic, T record) {
    if (record == null) {
      return null;
    }
    Settings current = configured();
    SchemaRegistry registry = current.registry();
    String subject = subject(topic, current.isKey());
    long schemaId = current.autoRegister()
        ? registry.register(subject, record.getSchema())
        : registry.lookup(subject, record.getSchema());
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    WireFormat.writeHeader(out, registry.idKind(), schemaId);
    try {
      BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
      writerFor(record).write(record, encoder);
      encoder.flush();
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("cannot encode " + record.getSchema().getFullName()
          + " for topic '" + topic + "': " + e.getMessage(), e);
    }
    return out.toByteArray();
  }

  /** Closes the registry if this serializer created it. */
  @Override
  public void close() {
    Settings current = settings;
    if (current != null) {
      current.close();
    }
  }

  /** TopicNameStrategy: {@code <topic>-key} or {@code <topic>-value}. */
  static String subject(String topic, boolean isKey) {
    if (topic == null || topic.isEmpty()) {
      throw new SerializationException("no topic given: the schema subject is derived from it "
          + "(<topic>-" + (isKey ? "key" : "value") + ")");
    }
    return topic + (isKey ? "-key" : "-value");
  }

  private Settings configured() {
    Settings current = settings;
    if (current == null) {
      // Serdes handed to the Streams DSL are not always configured: fall back to the defaults.
      configure(Map.of(), false);
      current = settings;
    }
    return current;
  }

  private DatumWriter<T> writerFor(T record) {
    return writers.computeIfAbsent(record.getClass(), type -> new SpecificDatumWriter<>(
        record.getSchema(), SpecificData.getForClass(type)));
  }

  private record Settings(SchemaRegistry registry, boolean ownsRegistry, boolean autoRegister,
      boolean isKey) {
    Settings {
      Objects.requireNonNull(registry, "registry");
    }

    void close() {
      if (ownsRegistry) {
        registry.close();
      }
    }
  }
}
