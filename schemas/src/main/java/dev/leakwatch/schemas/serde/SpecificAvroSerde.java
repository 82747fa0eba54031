package dev.leakwatch.schemas.serde;

import dev.leakwatch.schemas.registry.SchemaRegistry;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A {@link SpecificAvroSerializer} and {@link SpecificAvroDeserializer} for one generated record type,
 * configured together. Prefer {@link LeakwatchSerdes}, which returns configured instances.
 *
 * @param <T> the generated record type
 */
public class SpecificAvroSerde<T extends SpecificRecord> implements Serde<T> {

  private final SpecificAvroSerializer<T> serializer;
  private final SpecificAvroDeserializer<T> deserializer;

  /** A serde for {@code type} whose registry the configuration selects. */
  public SpecificAvroSerde(Class<T> type) {
    this(type, null);
  }

  /**
   * A serde for {@code type} using {@code registry}, which the caller owns and closes.
   *
   * @param registry registry to use, or null to let the configuration choose
   */
  public SpecificAvroSerde(Class<T> type, SchemaRegistry registry) {
    this.serializer = new SpecificAvroSerializer<>(registry);
    this.deserializer = new SpecificAvroDeserializer<>(type, registry);
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    serializer.configure(configs, isKey);
    deserializer.configure(configs, isKey);
  }

  @Override
  public void close() {
    serializer.close();
    deserializer.close();
  }

  @Override
  public Serializer<T> serializer() {
    return serializer;
  }

  @Override
  public Deserializer<T> deserializer() {
    return deserializer;
  }
}
