package dev.leakwatch.processor;

import java.util.Set;
import java.util.function.Function;

/** A configuration value is missing, unknown or malformed; the message starts with its key path. */
public final class ConfigError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigError(String key, String problem) {
    super(key + ": " + problem);
  }

  /**
   * The error of a settings object's own validation, located at the YAML key that set the value: such
   * messages start with the field's name ({@code "windowCaptures must be in [6, 256]"}), which
   * {@code pathOf} turns into the key path; a message that starts with no known field stays with
   * {@code section}.
   *
   * @param pathOf the key path of a field name, or null when the name is not a field
   */
  static ConfigError fromValidation(String section, String message, Function<String, String> pathOf) {
    int space = message.indexOf(' ');
    String path = space > 0 ? pathOf.apply(message.substring(0, space)) : null;
    return path == null ? new ConfigError(section, message) : new ConfigError(path, message.substring(space + 1));
  }

  /** As {@link #fromValidation(String, String, Function)} for fields named as their keys in {@code section}. */
  static ConfigError fromValidation(String section, String message, Set<String> fields) {
    return fromValidation(section, message, f -> fields.contains(f) ? section + "." + f : null);
  }
}
