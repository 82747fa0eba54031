package dev.leakwatch.schemas.registry;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.kafka.common.Configurable;

/**
 * A custom registry for tests of the {@link RegistryConfig#REGISTRY_CLASS} plug-in point: delegates
 * to a bundled registry and remembers how it was configured and used.
 */
public final class RecordingRegistry implements SchemaRegistry, Configurable {

  /** Registrations seen by all instances, so tests can observe instances Kafka-style code created. */
  public static final AtomicInteger REGISTRATIONS = new AtomicInteger();

  private final BundledSchemaRegistry delegate = new BundledSchemaRegistry();
  private Map<String, ?> configuration;
  private boolean closed;

  @Override
  public void configure(Map<String, ?> configs) {
    this.configuration = configs;
  }

  /** @return the map {@link #configure} received, or null */
  public Map<String, ?> configuration() {
    return configuration;
  }

  /** @return whether {@link #close()} was called */
  public boolean closed() {
    return closed;
  }

  @Override
  public IdKind idKind() {
    return delegate.idKind();
  }

  @Override
  public long register(String subject, Schema schema) {
    REGISTRATIONS.incrementAndGet();
    return delegate.register(subject, schema);
  }

  @Override
  public long lookup(String subject, Schema schema) {
    return delegate.lookup(subject, schema);
  }

  @Override
  public Schema schemaById(long id) {
    return delegate.schemaById(id);
  }

  @Override
  public void close() {
    closed = true;
  }
}
