package dev.leakwatch.agent.config;

/**
 * A configuration value is missing, malformed or out of range. The message names the offending
 * path (e.g. {@code targets[2].interval}) and what was expected.
 */
public class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
