package dev.leakwatch.naming;

import java.util.Objects;

/**
 * A service or instance name broke {@link Names}' rule. The message reads {@code service
 * '<name, quoted safely>' <problem>}, e.g. {@code service '..' must not be '..'}.
 */
public final class InvalidNameException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final Names.Kind kind;
  private final String problem;

  /**
   * @param kind which name
   * @param value the name as given, may be null
   * @param problem what is wrong, as returned by {@link Names#problem}
   */
  public InvalidNameException(Names.Kind kind, String value, String problem) {
    super(kind.label() + " " + (value == null || value.isEmpty() ? "" : Names.quote(value) + " ")
        + problem);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.problem = Objects.requireNonNull(problem, "problem");
  }

  public Names.Kind kind() {
    return kind;
  }

  /** What is wrong, e.g. {@code must not be '..'}. */
  public String problem() {
    return problem;
  }
}
