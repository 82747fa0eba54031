package dev.leakwatch.pprof;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Number formatting that prints exactly what Go's {@code fmt} prints for {@code %.2f} and {@code
 * %.2g}: Go rounds the exact binary value of a double, ties to even, which {@link String#format}
 * does not do (it rounds the shortest decimal representation half-up).
 */
final class GoFormat {
  private static final MathContext TWO_DIGITS = new MathContext(2, RoundingMode.HALF_EVEN);

  private GoFormat() {}

  /** Go's {@code %.2f}. */
  static String fixed2(double v) {
    String s = new BigDecimal(v).setScale(2, RoundingMode.HALF_EVEN).toPlainString();
    // Go keeps the sign of values that round to zero; BigDecimal has no negative zero.
    return v < 0 && !s.startsWith("-") ? "-" + s : s;
  }

  /** Go's {@code %.2g}: two significant digits, no trailing zeros, exponent form when tiny/huge. */
  static String general2(double v) {
    if (v == 0) {
      return "0";
    }
    BigDecimal r = new BigDecimal(v).round(TWO_DIGITS);
    int exp = r.precision() - r.scale() - 1;
    if (exp < -4 || exp >= 2) {
      BigDecimal mantissa = r.movePointLeft(exp).stripTrailingZeros();
      String e = String.format("%02d", Math.abs(exp));
      return mantissa.toPlainString() + "e" + (exp < 0 ? "-" : "+") + e;
    }
    return r.stripTrailingZeros().toPlainString();
  }

  /** Right-aligns {@code s} in {@code width} columns, as Go's {@code %5s} etc. */
  static String pad(String s, int width) {
    return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
  }

  /**
   * What pprof prints for {@code value} as a share of {@code total}: {@code "  100%"} near 100,
   * {@code %5.2f%%} from 1 on, {@code %5.2g%%} below 1; the sign is dropped.
   */
  static String percentage(long value, long total) {
    double ratio = total != 0 ? Math.abs((double) value / (double) total) * 100 : 0;
    if (ratio >= 99.95 && ratio <= 100.05) {
      return "  100%";
    }
    if (ratio >= 1.0) {
      return pad(fixed2(ratio), 5) + "%";
    }
    return pad(general2(ratio), 5) + "%";
  }
}
