package dev.leakwatch.schemas.registry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/**
 * Schemas that travel with the code instead of living in a registry service: the current schema of
 * each record plus its released versions under {@link SchemaHistory#ROOT}, named by their
 * CRC-64-AVRO fingerprint (Avro single-object encoding).
 *
 * <p>{@link #register} remembers any schema (and loads its record's history); {@link #lookup} accepts
 * only a schema that is a released version or was added before, so {@code auto.register.schemas=false}
 * with this registry means "write only released schemas". Subjects are ignored: a fingerprint names a
 * schema globally. Thread-safe; holds at most the schemas added plus the bundled history.
 */
public final class BundledSchemaRegistry implements SchemaRegistry {

  private final ClassLoader loader;
  private final Map<Long, Schema> byFingerprint = new ConcurrentHashMap<>();
  /** Record full names whose history is loaded; computeIfAbsent makes racing readers wait for it. */
  private final Map<String, Boolean> historiesLoaded = new ConcurrentHashMap<>();

  /** A registry reading history from the class loader that loaded this class. */
  public BundledSchemaRegistry() {
    this(BundledSchemaRegistry.class.getClassLoader());
  }

  /** A registry reading history through {@code loader}. */
  public BundledSchemaRegistry(ClassLoader loader) {
    this.loader = loader;
  }

  /** @return the CRC-64-AVRO fingerprint of the schema's parsing canonical form */
  public static long fingerprint(Schema schema) {
    return SchemaNormalization.parsingFingerprint64(schema);
  }

  @Override
  public IdKind idKind() {
    return IdKind.FINGERPRINT;
  }

  /**
   * Makes {@code current} and every released version of its record known, as a reader of that
   * record needs.
   */
  public void addCurrentAndHistory(Schema current) {
    addSchema(current);
    loadHistory(current.getFullName());
  }

  /** Makes one more writer schema known (e.g. one from a sibling deployment); returns its id. */
  public long addSchema(Schema schema) {
    long fingerprint = fingerprint(schema);
    byFingerprint.putIfAbsent(fingerprint, schema);
    return fingerprint;
  }

  @Override
  public long register(String subject, Schema schema) {
    loadHistory(schema.getFullName());
    return addSchema(schema);
  }

  @Override
  public long lookup(String subject, Schema schema) {
    loadHistory(schema.getFullName());
    long fingerprint = fingerprint(schema);
    if (!byFingerprint.containsKey(fingerprint)) {
      throw new SchemaRegistryException("schema of " + schema.getFullName() + " (fingerprint "
          + hex(fingerprint) + ") is not a released version under " + SchemaHistory.ROOT + "/"
          + schema.getName() + "/ and auto.register.schemas is false; bundled: " + known());
    }
    return fingerprint;
  }

  /** @return the schema with this fingerprint, or null when it is not known here */
  public Schema find(long fingerprint) {
    return byFingerprint.get(fingerprint);
  }

  @Override
  public Schema schemaById(long fingerprint) {
    Schema schema = byFingerprint.get(fingerprint);
    if (schema == null) {
      throw new SchemaRegistryException("unknown schema fingerprint " + hex(fingerprint)
          + ": not among the bundled writer schemas " + known()
          + " (written by a newer release, or not a Leakwatch record?)");
    }
    return schema;
  }

  /** @return the fingerprint as 16 hex digits, as the docs and error messages print it */
  public static String hex(long fingerprint) {
    return String.format("0x%016x", fingerprint);
  }

  private void loadHistory(String fullName) {
    historiesLoaded.computeIfAbsent(fullName, name -> {
      SchemaHistory.load(name, loader).forEach(this::addSchema);
      return Boolean.TRUE;
    });
  }

  private String known() {
    return byFingerprint.entrySet().stream()
        .map(e -> e.getValue().getName() + "@" + hex(e.getKey()))
        .sorted()
        .collect(Collectors.joining(", ", "[", "]"));
  }
}
