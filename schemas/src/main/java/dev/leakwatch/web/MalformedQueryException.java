package dev.leakwatch.web;

/**
 * A query string that cannot be decoded: a bad percent-escape or bytes that are not UTF-8. The
 * message names the parameter (when the name itself decoded) and the problem, e.g. {@code
 * parameter 'service': bad percent-escape '%zz' at index 0 (expected % and two hex digits)}.
 */
public final class MalformedQueryException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String parameter;
  private final String raw;
  private final String problem;

  /**
   * @param parameter the parameter whose value is malformed, or null when its name is
   * @param raw the malformed name or value as received (still percent-encoded)
   * @param problem what cannot be decoded, and where
   */
  public MalformedQueryException(String parameter, String raw, String problem) {
    super((parameter == null ? "a parameter name" : "parameter '" + parameter + "'") + ": " + problem);
    this.parameter = parameter;
    this.raw = raw;
    this.problem = problem;
  }

  /** The malformed name or value as received, still percent-encoded. */
  public String raw() {
    return raw;
  }

  /** The parameter whose value is malformed; null when the malformed part is a name. */
  public String parameter() {
    return parameter;
  }

  /** What cannot be decoded, and where. */
  public String problem() {
    return problem;
  }
}
