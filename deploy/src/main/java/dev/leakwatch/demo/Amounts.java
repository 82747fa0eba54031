package dev.leakwatch.demo;

import java.util.Locale;

/**
 * Human-readable amounts for the console: bytes in binary units ({@code 1.5 MiB}), other units as
 * plain numbers ({@code 520 goroutines}). Rates keep their unit's "per" part
 * ({@code bytes/hour} becomes {@code MiB/hour}).
 */
public final class Amounts {

  private static final String[] BINARY = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

  private Amounts() {}

  /**
   * @param value the amount
   * @param unit {@code bytes}, {@code bytes/hour}, {@code goroutines/hour}, ... (any other unit is
   *     printed as given)
   */
  public static String format(double value, String unit) {
    int slash = unit.indexOf('/');
    String base = slash < 0 ? unit : unit.substring(0, slash);
    String per = slash < 0 ? "" : unit.substring(slash);
    if (base.equals("bytes") || base.equals("B")) {
      return bytes(value) + per;
    }
    return number(value) + " " + unit;
  }

  /**
   * Bytes with the largest binary unit that keeps the number at or above 1, judged on the number as
   * printed: 1,048,575 bytes is {@code 1.0 MiB}, not {@code 1024 KiB}.
   */
  public static String bytes(double value) {
    double v = Math.abs(value);
    int i = 0;
    while (i < BINARY.length - 1 && Double.parseDouble(number(v)) >= 1024) {
      v /= 1024;
      i++;
    }
    return (value < 0 ? "-" : "") + number(v) + " " + BINARY[i];
  }

  /** One decimal below 100 as printed, none from there on; no exponent notation. */
  private static String number(double v) {
    String oneDecimal = String.format(Locale.ROOT, "%.1f", v);
    return v != Math.rint(v) && Math.abs(Double.parseDouble(oneDecimal)) < 100
        ? oneDecimal : String.format(Locale.ROOT, "%.0f", v);
  }
}
