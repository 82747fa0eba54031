package dev.leakwatch.agent.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and prints the duration notation used in configuration files: a sequence of
 * number+unit terms such as {@code 30s}, {@code 500ms}, {@code 1m30s}, {@code 2h}. Units: {@code
 * ms, s, m, h, d}. A bare {@code 0} is accepted as zero.
 */
public final class Durations {
  private static final Pattern TERM = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  private Durations() {}

  /**
   * Parses {@code text}.
   *
   * @param what the configuration path, used in the error message
   * @throws ConfigException if the text is not a duration in this notation
   */
  public static Duration parse(String text, String what) {
    String s = text == null ? "" : text.trim();
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = TERM.matcher(s);
    Duration total = Duration.ZERO;
    int pos = 0;
    try {
      while (pos < s.length() && m.find(pos) && m.start() == pos) {
        total = total.plus(term(Long.parseLong(m.group(1)), m.group(2)));
        pos = m.end();
      }
    } catch (ArithmeticException | NumberFormatException e) {
      throw new ConfigException(what + ": '" + text + "' is too long a duration", e);
    }
    if (s.isEmpty() || pos != s.length()) {
      throw new ConfigException(
          what + ": '" + text + "' is not a duration (use e.g. 500ms, 30s, 1m30s, 2h)");
    }
    return total;
  }

  /** Formats {@code d} compactly in the same notation, e.g. {@code 1m30s} or {@code 250ms}. */
  public static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder();
    long h = d.toHours();
    int m = d.toMinutesPart();
    int s = d.toSecondsPart();
    int ms = d.toMillisPart();
    if (h > 0) {
      sb.append(h).append('h');
    }
    if (m > 0) {
      sb.append(m).append('m');
    }
    if (s > 0) {
      sb.append(s).append('s');
    }
    if (ms > 0) {
      sb.append(ms).append("ms");
    }
    return sb.toString();
  }

  private static Duration term(long n, String unit) {
    switch (unit) {
      case "ms":
        return Duration.ofMillis(n);
      case "s":
        return Duration.ofSeconds(n);
      case "m":
        return Duration.ofMinutes(n);
      case "h":
        return Duration.ofHours(n);
      default:
        return Duration.ofDays(n);
    }
  }
}
