package dev.leakwatch.processor;

/** A configuration value is missing, unknown or malformed; the message starts with its key path. */
public final class ConfigError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigError(String key, String problem) {
    super(key + ": " + problem);
  }
}
