package dev.leakwatch.schemas.serde;

import dev.leakwatch.schemas.avro.LeakSuspect;
import dev.leakwatch.schemas.avro.ProfileEnvelope;
import dev.leakwatch.schemas.registry.BoundedCache;
import dev.leakwatch.schemas.registry.BundledSchemaRegistry;
import dev.leakwatch.schemas.registry.RegistryConfig;
import dev.leakwatch.schemas.registry.SchemaRegistry;
import dev.leakwatch.schemas.registry.SchemaRegistry.IdKind;
import dev.leakwatch.schemas.registry.SchemaRegistryException;
import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Turns framed bytes into a {@code T}: finds the writer schema named in the header, checks it can be
 * read as {@code T}'s schema, and decodes with Avro's schema resolution. One resolving reader per
 * writer schema is cached (bounded). Thread-safe.
 *
 * @param <T> the generated record type
 */
final class RecordDecoder<T extends SpecificRecord> implements AutoCloseable {

  private static final List<Schema> LEAKWATCH_RECORDS =
      List.of(ProfileEnvelope.getClassSchema(), LeakSuspect.getClassSchema());

  private final Schema readerSchema;
  private final SpecificData model;
  private final SchemaRegistry registry;
  private final boolean ownsRegistry;
  /** The reader's own schema and its released versions: asked first for single-object records. */
  private final BundledSchemaRegistry bundled;
  /** Asked for single-object records the bundle lacks, or null when the registry uses 32-bit ids. */
  private final SchemaRegistry fingerprints;
  /** Source of Confluent-framed writer schemas, or null when no such registry is configured. */
  private final SchemaRegistry registryIds;
  private final BoundedCache<WriterKey, ResolvedReader<T>> readers;

  /**
   * @param type generated record class to decode into
   * @param registry where writer schemas come from; closed by {@link #close()} if {@code ownsRegistry}
   * @param cacheCapacity most resolving readers kept
   */
  RecordDecoder(Class<T> type, SchemaRegistry registry, boolean ownsRegistry, int cacheCapacity) {
    this.model = SpecificData.getForClass(type);
    this.readerSchema = model.getSchema(type);
    this.registry = registry;
    this.ownsRegistry = ownsRegistry;
    this.registryIds = registry.idKind() == IdKind.REGISTRY_ID ? registry : null;
    this.bundled = registry instanceof BundledSchemaRegistry
        ? (BundledSchemaRegistry) registry
        : new BundledSchemaRegistry();
    bundled.addCurrentAndHistory(readerSchema);
    // A reader class of the consumer's own (another namespace) reads what Leakwatch wrote: the
    // writer schemas of Leakwatch's records travel with this jar whatever the reader class.
    LEAKWATCH_RECORDS.forEach(bundled::addCurrentAndHistory);
    AvroClassTrust.trustReader(readerSchema);
    this.fingerprints =
        registry.idKind() == IdKind.FINGERPRINT && registry != bundled ? registry : null;
    this.readers = new BoundedCache<>(cacheCapacity);
  }

  /** Decodes non-null {@code data} read from {@code topic}. */
  T decode(String topic, byte[] data) {
    WireFormat.Header header = WireFormat.readHeader(topic, data);
    WriterKey key = new WriterKey(header.kind(), header.schemaId());
    ResolvedReader<T> reader;
    try {
      reader = readers.get(key, this::resolve);
    } catch (SchemaRegistryException e) {
      // kept as such: an outage (retriable()) must not look like an undecodable record
      throw e.withContext(WireFormat.describe(topic, data));
    } catch (SerializationException e) {
      throw new SerializationException(WireFormat.describe(topic, data) + ": " + e.getMessage(), e);
    }
    BinaryDecoder decoder = DecoderFactory.get()
        .binaryDecoder(data, header.bodyOffset(), data.length - header.bodyOffset(), null);
    try {
      T value = reader.datumReader().read(null, decoder);
      if (!decoder.isEnd()) {
        throw new SerializationException(WireFormat.describe(topic, data) + ": bytes left over "
            + "after the " + readerSchema.getName() + " record written with " + key.label());
      }
      return value;
    } catch (IOException | RuntimeException e) {
      if (e instanceof SerializationException) {
        throw (SerializationException) e;
      }
      throw new SerializationException(WireFormat.describe(topic, data) + ": malformed Avro body "
          + "for " + readerSchema.getName() + " written with " + key.label() + ": "
          + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    } catch (StackOverflowError e) {
      // Avro reads and skips nested values recursively. A writer schema with a recursive type (a
      // registry accepts one in a new field with a default) lets a body of one byte per level nest
      // deeper than any thread's stack; as an Error it would escape the consumer's handlers and
      // kill its thread on every retry of the record. The stack has unwound here, and Avro resets
      // its per-thread decoder state on the next read. Not chained: its trace is the same few
      // frames a thousand times.
      throw new SerializationException(WireFormat.describe(topic, data) + ": malformed Avro body "
          + "for " + readerSchema.getName() + " written with " + key.label() + ": values nested "
          + "deeper than the decoding thread's stack allows (StackOverflowError)");
    }
  }

  private ResolvedReader<T> resolve(WriterKey key) {
    Schema writerSchema = writerSchema(key);
    SchemaPairCompatibility compatibility =
        SchemaCompatibility.checkReaderWriterCompatibility(readerSchema, writerSchema);
    if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
      String why = compatibility.getResult().getIncompatibilities().stream()
          .map(i -> i.getType() + " at " + i.getLocation() + " (" + i.getMessage() + ")")
          .collect(Collectors.joining("; "));
      throw new SerializationException("writer schema " + writerSchema.getFullName() + " ("
          + key.label() + ") cannot be read as " + readerSchema.getFullName() + ": " + why);
    }
    WriterSchemaBounds.check(writerSchema, key.label());
    return new ResolvedReader<>(new SpecificDatumReader<>(writerSchema, readerSchema, model));
  }

  private Schema writerSchema(WriterKey key) {
    if (key.kind() == IdKind.FINGERPRINT) {
      Schema known = bundled.find(key.schemaId());
      if (known != null) {
        return known;
      }
      return (fingerprints != null ? fingerprints : bundled).schemaById(key.schemaId());
    }
    if (registryIds == null) {
      throw new SerializationException("record is in the Confluent wire format (" + key.label()
          + ") but no schema registry is configured; set " + RegistryConfig.URL);
    }
    return registryIds.schemaById(key.schemaId());
  }

  @Override
  public void close() {
    if (ownsRegistry) {
      registry.close();
    }
  }

  /** Identifies a writer schema on the wire. */
  private record WriterKey(IdKind kind, long schemaId) {
    String label() {
      return kind == IdKind.REGISTRY_ID
          ? "schema id " + schemaId
          : "schema fingerprint " + BundledSchemaRegistry.hex(schemaId);
    }
  }

  /** A reader resolving one writer schema against the reader schema. */
  private record ResolvedReader<T>(DatumReader<T> datumReader) {}
}
