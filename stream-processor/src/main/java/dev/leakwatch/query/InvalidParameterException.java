package dev.leakwatch.query;

import java.util.Objects;

/**
 * A request parameter broke a rule: names the parameter, the value as given and the rule, e.g.
 * {@code parameter 'limit' = '5000': must be an integer in [1, 1000]}.
 */
public final class InvalidParameterException extends QueryException {

  /** Longest value echoed back, so a huge parameter does not make a huge error. */
  private static final int MAX_ECHO = 200;

  private final String parameter;
  private final String value;
  private final String rule;

  /**
   * @param parameter the parameter's name as the caller wrote it
   * @param value the value as given (null when missing); echoed truncated to 200 chars
   * @param rule what the value must be
   */
  public InvalidParameterException(String parameter, String value, String rule) {
    super("parameter '" + parameter + "' = " + echo(value) + ": " + rule);
    this.parameter = Objects.requireNonNull(parameter, "parameter");
    this.value = value == null ? null : truncate(value);
    this.rule = Objects.requireNonNull(rule, "rule");
  }

  public String parameter() {
    return parameter;
  }

  /** The offending value (truncated), or null when the parameter was missing. */
  public String value() {
    return value;
  }

  public String rule() {
    return rule;
  }

  private static String echo(String value) {
    return value == null ? "(missing)" : "'" + truncate(value) + "'";
  }

  private static String truncate(String v) {
    return v.length() <= MAX_ECHO ? v : v.substring(0, MAX_ECHO) + "...";
  }
}
