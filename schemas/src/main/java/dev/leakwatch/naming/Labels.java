package dev.leakwatch.naming;

import java.util.Map;
import java.util.Optional;

/**
 * The rule for the labels an envelope carries (a target's {@code labels} in the agent's
 * configuration and discovery files, {@code label.<name>} parameters of {@code POST /ingest}),
 * checked where they enter, before anything is published:
 *
 * <ul>
 *   <li>at most {@value #MAX_COUNT} labels;
 *   <li>a name is Prometheus-style, {@code [a-zA-Z_][a-zA-Z0-9_]*} (ASCII letters, digits and
 *       {@code _}, not starting with a digit), 1 to {@value #MAX_NAME_LENGTH} characters, so that
 *       any label can become a Prometheus or Alertmanager label unchanged;
 *   <li>a value has at most {@value #MAX_VALUE_LENGTH} characters (Unicode code points; empty is
 *       allowed).
 * </ul>
 *
 * Stateless and thread-safe.
 */
public final class Labels {
  /** Most labels on one envelope. */
  public static final int MAX_COUNT = 64;

  /** Longest label name, in characters. */
  public static final int MAX_NAME_LENGTH = 128;

  /** Longest label value, in Unicode code points. */
  public static final int MAX_VALUE_LENGTH = 1024;

  /** The name rule as one phrase, quoted in every refusal of a name. */
  public static final String NAME_RULE =
      "a label name matches [a-zA-Z_][a-zA-Z0-9_]* (ASCII letters, digits and '_', not starting"
          + " with a digit) and has at most " + MAX_NAME_LENGTH + " characters";

  private Labels() {}

  /**
   * The first problem of a set of labels, as a message naming the label, e.g. {@code label
   * 'git-sha': name contains '-' at index 3 (a label name matches ...)}.
   *
   * @return empty when every label is valid
   */
  public static Optional<String> problem(Map<String, String> labels) {
    if (labels.size() > MAX_COUNT) {
      return Optional.of("more than " + MAX_COUNT + " labels (" + labels.size() + ")");
    }
    for (Map.Entry<String, String> e : labels.entrySet()) {
      Optional<String> p = problem(e.getKey(), e.getValue());
      if (p.isPresent()) {
        return p;
      }
    }
    return Optional.empty();
  }

  /** What is wrong with one label, as {@link #problem(Map)} words it; empty when valid. */
  public static Optional<String> problem(String name, String value) {
    Optional<String> n = nameProblem(name);
    if (n.isPresent()) {
      return Optional.of("label " + Names.quote(name) + ": name " + n.get() + " (" + NAME_RULE + ")");
    }
    int length = value.codePointCount(0, value.length());
    if (length > MAX_VALUE_LENGTH) {
      return Optional.of(
          "label " + Names.quote(name) + ": value is longer than " + MAX_VALUE_LENGTH
              + " characters (" + length + ")");
    }
    return Optional.empty();
  }

  private static Optional<String> nameProblem(String name) {
    if (name.isEmpty()) {
      return Optional.of("is empty");
    }
    if (name.length() > MAX_NAME_LENGTH) {
      return Optional.of("is longer than " + MAX_NAME_LENGTH + " characters (" + name.length() + ")");
    }
    for (int i = 0; i < name.length(); ) {
      int cp = name.codePointAt(i);
      boolean ok = cp == '_' || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z')
          || (i > 0 && cp >= '0' && cp <= '9');
      if (!ok) {
        return Optional.of(
            (i == 0 && cp >= '0' && cp <= '9' ? "starts with a digit"
                : "contains " + character(cp)) + " at index " + i);
      }
      i += Character.charCount(cp);
    }
    return Optional.empty();
  }

  /** {@code '-'} for a visible ASCII character, else its code point, {@code U+00E9}. */
  private static String character(int cp) {
    return cp > 0x20 && cp < 0x7F && cp != '\''
        ? "'" + (char) cp + "'"
        : String.format("U+%04X", cp);
  }
}
