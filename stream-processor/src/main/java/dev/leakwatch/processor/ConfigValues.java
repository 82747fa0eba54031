package dev.leakwatch.processor;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the human-friendly values of {@code processor.yaml}: durations ({@code 500ms}, {@code 30s},
 * {@code 1m}, {@code 2h}, {@code 7d}, or ISO-8601 {@code PT1M}) and byte sizes ({@code 1024},
 * {@code 64KiB}, {@code 16MiB}, {@code 1GiB}, also {@code KB}/{@code MB}/{@code GB} as powers of
 * 1000). Every failure is a {@link ConfigError} naming the key.
 */
final class ConfigValues {

  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmg]i?b|b)?");

  private ConfigValues() {}

  /**
   * @throws ConfigError also when the duration does not fit a long of milliseconds, which every
   *     user of a duration converts it to (Kafka's settings, stream time)
   */
  static Duration duration(String key, String text) {
    Duration d;
    try {
      d = parseDuration(key, text);
      d.toMillis();
    } catch (ArithmeticException | NumberFormatException e) {
      throw new ConfigError(key, "'" + text + "' is too long (at most about 292 million years)");
    }
    return d;
  }

  private static Duration parseDuration(String key, String text) {
    String t = text.trim();
    if (t.startsWith("P") || t.startsWith("p")) {
      try {
        return Duration.parse(t.toUpperCase(Locale.ROOT));
      } catch (RuntimeException e) {
        throw new ConfigError(key, "'" + text + "' is not an ISO-8601 duration");
      }
    }
    Matcher m = DURATION.matcher(t.toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new ConfigError(key, "'" + text + "' is not a duration (e.g. 500ms, 30s, 1m, 2h, 7d, PT1M)");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  static long bytes(String key, String text) {
    Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new ConfigError(key, "'" + text + "' is not a size (e.g. 1048576, 512KiB, 64MiB, 1GiB)");
    }
    long n;
    try {
      n = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      throw new ConfigError(key, "'" + text + "' overflows 64 bits");
    }
    String unit = m.group(2) == null ? "b" : m.group(2);
    long factor = switch (unit) {
      case "kib" -> 1L << 10;
      case "mib" -> 1L << 20;
      case "gib" -> 1L << 30;
      case "kb" -> 1_000L;
      case "mb" -> 1_000_000L;
      case "gb" -> 1_000_000_000L;
      default -> 1L;
    };
    try {
      return Math.multiplyExact(n, factor);
    } catch (ArithmeticException e) {
      throw new ConfigError(key, "'" + text + "' overflows 64 bits");
    }
  }
}
