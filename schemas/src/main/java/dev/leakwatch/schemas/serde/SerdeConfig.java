package dev.leakwatch.schemas.serde;

import dev.leakwatch.schemas.registry.RegistryConfig;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * Serde settings beyond the registry's ({@link dev.leakwatch.schemas.registry.RegistryConfig}), read
 * from the same producer, consumer or Streams configuration map; unrelated keys are ignored.
 */
public final class SerdeConfig extends AbstractConfig {

  /**
   * Whether the serializer registers its writer schema ({@code POST /subjects/{s}/versions}) or only
   * looks it up ({@code POST /subjects/{s}}); Confluent's key and default.
   */
  public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
  /** The SpecificRecord class a deserializer built with its no-arg constructor produces. */
  public static final String READER_CLASS = "leakwatch.avro.reader.class";

  static final ConfigDef DEFINITION = new ConfigDef()
      .define(AUTO_REGISTER_SCHEMAS, Type.BOOLEAN, true, Importance.MEDIUM,
          "Register the writer schema under the subject if needed (true), or require it to be "
              + "registered already (false).")
      .define(READER_CLASS, Type.CLASS, null, Importance.MEDIUM,
          "Generated SpecificRecord class to decode into, for deserializers created by class name.");

  /** Every key a serde reads: these and the registry's ({@link RegistryConfig#DEFINITION}). */
  public static final Set<String> KEYS = keys();

  private static Set<String> keys() {
    Set<String> keys = new HashSet<>(RegistryConfig.DEFINITION.names());
    keys.addAll(DEFINITION.names());
    return Set.copyOf(keys);
  }

  /** Parses {@code configs}; throws {@code ConfigException} naming the key on bad values. */
  public SerdeConfig(Map<String, ?> configs) {
    super(DEFINITION, configs, false);
  }

  /** @return whether the serializer may register its writer schema */
  public boolean autoRegisterSchemas() {
    return getBoolean(AUTO_REGISTER_SCHEMAS);
  }

  /** @return the configured reader class, or null when not set */
  public Class<?> readerClass() {
    return getClass(READER_CLASS);
  }
}
