package dev.leakwatch.schemas.serde;

import dev.leakwatch.schemas.avro.LeakSuspect;
import dev.leakwatch.schemas.avro.ProfileEnvelope;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/**
 * Configured serdes for Leakwatch's Avro records.
 *
 * <p>The {@code config} map is the client's (producer, consumer or Streams) configuration; the keys
 * read are those of {@link dev.leakwatch.schemas.registry.RegistryConfig} and {@link SerdeConfig}.
 * With {@code schema.registry.url} the serializer writes the Confluent wire format, without it Avro
 * single-object encoding; the deserializer reads both. The caller owns the returned serde and closes
 * it (Kafka clients and Streams close serdes they were given).
 */
public final class LeakwatchSerdes {

  private LeakwatchSerdes() {}

  /** @return a configured serde for {@link ProfileEnvelope} records */
  public static Serde<ProfileEnvelope> profileEnvelope(Map<String, ?> config, boolean isKey) {
    return forClass(ProfileEnvelope.class, config, isKey);
  }

  /** @return a configured serde for {@link LeakSuspect} records */
  public static Serde<LeakSuspect> leakSuspect(Map<String, ?> config, boolean isKey) {
    return forClass(LeakSuspect.class, config, isKey);
  }

  /**
   * @param type a generated Avro class
   * @param isKey whether the serde is for record keys (subject {@code <topic>-key}) or values
   * @return a configured serde for {@code type}
   */
  public static <T extends SpecificRecord> Serde<T> forClass(Class<T> type, Map<String, ?> config,
      boolean isKey) {
    SpecificAvroSerde<T> serde = new SpecificAvroSerde<>(type);
    serde.configure(config, isKey);
    return serde;
  }
}
