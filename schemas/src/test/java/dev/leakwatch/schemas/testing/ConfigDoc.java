package dev.leakwatch.schemas.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reading a configuration reference table the way a test can probe the parser with it: a key path
 * written as a YAML document, the default a cell states, and the keys a parser's "unknown key"
 * error lists as accepted ({@code (known: a, b)} / {@code (allowed here: a, b)}).
 */
public final class ConfigDoc {
  private static final Pattern ACCEPTED = Pattern.compile("\\((?:known|allowed here): ([^)]*)\\)");
  /** {@code `key` value} or {@code `key` (value, ...)} inside a cell that lists several keys. */
  private static final Pattern INLINE =
      Pattern.compile("`([a-zA-Z]+)` \\(?`?([0-9][0-9,.]*(?: ?[KMG]i?B\\b|[a-z]+\\b)?)");
  private static final Pattern PLAIN = Pattern.compile("-?[0-9]+|true|false");

  private ConfigDoc() {}

  /** {@code path} ({@code a.b.c}) set to {@code value}, as a YAML document. */
  public static String yaml(String path, String value) {
    String[] parts = path.split("\\.");
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < parts.length; i++) {
      out.append("  ".repeat(i)).append(parts[i]).append(':').append(i == parts.length - 1 ? " " + value : "")
          .append('\n');
    }
    return out.toString();
  }

  /**
   * The value a default cell states, or null when it states none a parser reads (prose, "none",
   * a condition such as "in a pod: ..."): the code span it starts with (parentheses aside), else a
   * bare number or boolean before any {@code (..)} or {@code = ...} explanation.
   */
  public static String literalDefault(String cell) {
    String bare = cell.replaceAll("\\([^)]*\\)", "").strip();
    if (bare.startsWith("`")) {
      return DocTables.code(bare).get(0);
    }
    String head = bare.split(" = ", 2)[0].strip();
    return PLAIN.matcher(head).matches() ? head : null;
  }

  /** The {@code key → default} pairs a cell states inline ({@code `port` (8080, ...)}, {@code `maxSamples` 1,000,000}). */
  public static Map<String, String> inlineDefaults(String cell) {
    Map<String, String> out = new LinkedHashMap<>();
    Matcher m = INLINE.matcher(cell);
    while (m.find()) {
      out.put(m.group(1), m.group(2).replace(",", "").replace(" ", ""));
    }
    return out;
  }

  /** The keys an "unknown key" error names as accepted; fails when it names none. */
  public static Set<String> accepted(String unknownKeyError) {
    Matcher m = ACCEPTED.matcher(unknownKeyError);
    if (!m.find()) {
      throw new AssertionError("not an unknown-key error listing the accepted keys: " + unknownKeyError);
    }
    Set<String> out = new TreeSet<>();
    for (String k : m.group(1).split(",")) {
      out.add(k.strip());
    }
    return out;
  }
}
