package dev.leakwatch.naming;

import java.util.Optional;

/**
 * The one rule for service and instance names, applied wherever a name enters Leakwatch (agent
 * targets and discovery files, {@code POST /ingest}, the stream processor's envelope check) and
 * wherever one is asked for (the query API). A name accepted at the door can therefore always be
 * queried, and a name the query API refuses never gets in.
 *
 * <p>A name is valid when it
 *
 * <ul>
 *   <li>is given and not blank;
 *   <li>has 1 to {@value #MAX_LENGTH} characters (Unicode code points);
 *   <li>contains no control character (U+0000–U+001F, U+007F–U+009F), no format character
 *       (Unicode category Cf: bidi controls such as U+202E, zero-width characters, U+FEFF), no line
 *       or paragraph separator (U+2028, U+2029), no unpaired surrogate and no U+FFFD (the mark of
 *       bytes that were not valid UTF-8);
 *   <li>contains no {@code \}, and, for a service, no {@code /} (it separates service from
 *       instance in Kafka record keys; an instance may contain {@code /});
 *   <li>neither starts nor ends with whitespace;
 *   <li>is not {@code .} or {@code ..}.
 * </ul>
 *
 * Stateless and thread-safe.
 */
public final class Names {

  /** Longest valid name, in Unicode code points. */
  public static final int MAX_LENGTH = 255;

  /** Longest part of a bad name quoted back in a message, in code points. */
  private static final int MAX_QUOTE = 64;

  private Names() {}

  /** Which name: the rule differs only in {@code /}. */
  public enum Kind {
    SERVICE("service"),
    INSTANCE("instance");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    /** {@code service} or {@code instance}: the word messages and parameters use. */
    public String label() {
      return label;
    }
  }

  /** The documented rule, as one sentence, e.g. for an API's error body. */
  public static String rule(Kind kind) {
    return (kind == Kind.INSTANCE ? "an " : "a ") + kind.label() + " name must be 1 to " + MAX_LENGTH
        + " characters without "
        + (kind == Kind.SERVICE ? "'/', " : "") + "'\\', control, format (bidi, zero-width) or "
        + "separator characters or U+FFFD, must not start or end with whitespace, and must not be "
        + "'.' or '..'";
  }

  /**
   * What is wrong with a name, as a phrase to follow the name's label, e.g. {@code contains the
   * format character U+202E at index 0} (so {@code "service " + problem} reads as a sentence).
   *
   * @param value the name, may be null (missing)
   * @return empty when the name is valid
   */
  public static Optional<String> problem(Kind kind, String value) {
    if (value == null || value.isBlank()) {
      return Optional.of("is required");
    }
    int length = value.codePointCount(0, value.length());
    if (length > MAX_LENGTH) {
      return Optional.of("is longer than " + MAX_LENGTH + " characters (" + length + ")");
    }
    if (value.equals(".") || value.equals("..")) {
      return Optional.of("must not be '" + value + "'");
    }
    for (int i = 0; i < value.length(); ) {
      int cp = value.codePointAt(i);
      Optional<String> bad = badCharacter(kind, cp);
      if (bad.isPresent()) {
        return Optional.of(bad.get() + " at index " + i);
      }
      i += Character.charCount(cp);
    }
    if (isBlank(value.codePointAt(0)) || isBlank(value.codePointBefore(value.length()))) {
      return Optional.of("must not start or end with whitespace");
    }
    return Optional.empty();
  }

  /**
   * The name if valid.
   *
   * @throws InvalidNameException naming the kind, the problem and the rule
   */
  public static String require(Kind kind, String value) {
    Optional<String> p = problem(kind, value);
    if (p.isPresent()) {
      throw new InvalidNameException(kind, value, p.get());
    }
    return value;
  }

  /**
   * A name made safe to put in a message or a log line: at most 64 characters, and every
   * invisible character the rule forbids (and {@code '}) written as {@code \}{@code uXXXX}.
   */
  public static String quote(String value) {
    if (value == null) {
      return "(missing)";
    }
    StringBuilder out = new StringBuilder("'");
    int n = 0;
    for (int i = 0; i < value.length() && n < MAX_QUOTE; n++) {
      int cp = value.codePointAt(i);
      if (invisible(cp) || cp == '\'') {
        out.append(String.format("\\u%04X", cp));
      } else {
        out.appendCodePoint(cp);
      }
      i += Character.charCount(cp);
    }
    out.append('\'');
    return n < value.codePointCount(0, value.length()) ? out + "..." : out.toString();
  }

  private static Optional<String> badCharacter(Kind kind, int cp) {
    if (Character.isISOControl(cp)) {
      return Optional.of("contains control characters (" + hex(cp) + ")");
    }
    if (cp == '\\' || (cp == '/' && kind == Kind.SERVICE)) {
      return Optional.of("must not contain '" + (char) cp + "'");
    }
    if (cp == 0xFFFD) {
      return Optional.of("contains U+FFFD, the mark of bytes that were not valid UTF-8,");
    }
    switch (Character.getType(cp)) {
      case Character.FORMAT:
        return Optional.of("contains the format character " + hex(cp) + " (bidi or invisible)");
      case Character.LINE_SEPARATOR:
      case Character.PARAGRAPH_SEPARATOR:
        return Optional.of("contains the separator " + hex(cp));
      case Character.SURROGATE:
        return Optional.of("contains the unpaired surrogate " + hex(cp));
      default:
        return Optional.empty();
    }
  }

  /** Control, format, separator and surrogate characters, and U+FFFD: what a reader cannot see. */
  private static boolean invisible(int cp) {
    if (Character.isISOControl(cp) || cp == 0xFFFD) {
      return true;
    }
    int type = Character.getType(cp);
    return type == Character.FORMAT || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE;
  }

  private static boolean isBlank(int cp) {
    return Character.isWhitespace(cp) || Character.isSpaceChar(cp);
  }

  private static String hex(int cp) {
    return String.format("U+%04X", cp);
  }
}
