package dev.leakwatch.agent.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses sizes written as a plain byte count or a number with a unit: {@code KiB, MiB, GiB}
 * (powers of 1024) or {@code KB, MB, GB} (powers of 1000), case-insensitive, e.g. {@code 16MiB}.
 */
public final class ByteSizes {
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmg]i?b|b)?");

  private ByteSizes() {}

  /**
   * Parses {@code text} into a byte count.
   *
   * @param what the configuration path, used in the error message
   * @throws ConfigException if malformed or overflowing a {@code long}
   */
  public static long parse(String text, String what) {
    String s = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    Matcher m = SIZE.matcher(s);
    if (!m.matches()) {
      throw new ConfigException(
          what + ": '" + text + "' is not a size (use bytes or e.g. 512KiB, 16MiB, 1GB)");
    }
    String unit = m.group(2) == null ? "b" : m.group(2);
    try {
      return Math.multiplyExact(Long.parseLong(m.group(1)), multiplier(unit));
    } catch (ArithmeticException | NumberFormatException e) {
      throw new ConfigException(what + ": '" + text + "' is too large", e);
    }
  }

  /** Formats {@code bytes} with the largest binary unit that divides it exactly. */
  public static String format(long bytes) {
    String[] units = {"GiB", "MiB", "KiB"};
    long[] sizes = {1L << 30, 1L << 20, 1L << 10};
    for (int i = 0; i < units.length; i++) {
      if (bytes >= sizes[i] && bytes % sizes[i] == 0) {
        return bytes / sizes[i] + units[i];
      }
    }
    return bytes + "B";
  }

  private static long multiplier(String unit) {
    switch (unit) {
      case "kib":
        return 1L << 10;
      case "mib":
        return 1L << 20;
      case "gib":
        return 1L << 30;
      case "kb":
        return 1_000L;
      case "mb":
        return 1_000_000L;
      case "gb":
        return 1_000_000_000L;
      default:
        return 1L;
    }
  }
}
