package dev.leakwatch.schemas.registry;

import java.io.Closeable;
import org.apache.avro.Schema;

/**
 * Where writer schemas live and how they are named on the wire.
 *
 * <p>Two kinds of ids exist, told apart by {@link #idKind()}: a Confluent-compatible registry hands
 * out 32-bit ids (framed as magic byte 0 + 4-byte big-endian id), the bundled registry names a schema
 * by its 64-bit CRC-64-AVRO fingerprint (framed as Avro single-object encoding). Ids are carried as
 * {@code long} so that both fit; a {@link IdKind#REGISTRY_ID} is always in {@code [0, 2^31)}.
 *
 * <p>Implementations must be safe for concurrent use and should cache: the serde calls them once per
 * record. Failures are reported as {@link SchemaRegistryException} (a Kafka
 * {@code SerializationException}), never as {@code null}.
 *
 * <p>A custom implementation can be plugged in with {@link RegistryConfig#REGISTRY_CLASS}; it needs a
 * public no-arg constructor and, if it implements {@code org.apache.kafka.common.Configurable}, it
 * receives the serde's configuration.
 */
public interface SchemaRegistry extends Closeable {

  /** How this registry's ids are framed on the wire. */
  enum IdKind {
    /** A registry-assigned 32-bit id: Confluent wire format (magic 0x00, 4-byte big-endian id). */
    REGISTRY_ID,
    /** The schema's CRC-64-AVRO fingerprint: Avro single-object encoding (0xC3 0x01, 8 bytes LE). */
    FINGERPRINT
  }

  /** @return the kind of ids this registry returns and accepts; never null */
  IdKind idKind();

  /**
   * Registers {@code schema} under {@code subject} (or finds it if already registered there).
   *
   * @param subject non-null subject, e.g. {@code leakwatch.profiles-value}
   * @param schema non-null writer schema
   * @return the schema's id
   * @throws SchemaRegistryException if the registry refuses (e.g. incompatible) or cannot be reached
   */
  long register(String subject, Schema schema);

  /**
   * Finds the id of {@code schema} already registered under {@code subject}, without registering.
   *
   * @return the schema's id
   * @throws SchemaRegistryException if the subject or the schema under it is unknown
   */
  long lookup(String subject, Schema schema);

  /**
   * Fetches the schema that has the given id.
   *
   * @return the schema, never null
   * @throws SchemaRegistryException if no schema has this id or the registry cannot be reached
   */
  Schema schemaById(long id);

  /** Releases connections or other resources; the default does nothing. Idempotent. */
  @Override
  default void close() {}
}
