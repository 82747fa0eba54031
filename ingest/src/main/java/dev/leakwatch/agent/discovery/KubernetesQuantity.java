package dev.leakwatch.agent.discovery;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes resource quantities ({@code resources.limits.memory}, the {@code
 * leakwatch.dev/memory-limit} annotation) as a whole number of bytes, by the API's rules: a
 * decimal number (optionally fractional, {@code 1.5Gi}) followed by nothing, a binary suffix
 * ({@code Ki Mi Gi Ti Pi Ei}, powers of 1024), a decimal suffix ({@code n u m k M G T P E}, powers
 * of 1000) or a decimal exponent ({@code e3}, {@code E-2}). A fraction of a byte is rounded up, as
 * the API rounds a quantity's integer value.
 */
final class KubernetesQuantity {
  private static final Pattern QUANTITY =
      Pattern.compile("\\+?([0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+|[a-zA-Z]*)");
  private static final Map<String, BigDecimal> SUFFIXES =
      Map.ofEntries(
          Map.entry("", BigDecimal.ONE),
          Map.entry("n", new BigDecimal("1e-9")),
          Map.entry("u", new BigDecimal("1e-6")),
          Map.entry("m", new BigDecimal("1e-3")),
          Map.entry("k", new BigDecimal("1e3")),
          Map.entry("M", new BigDecimal("1e6")),
          Map.entry("G", new BigDecimal("1e9")),
          Map.entry("T", new BigDecimal("1e12")),
          Map.entry("P", new BigDecimal("1e15")),
          Map.entry("E", new BigDecimal("1e18")),
          Map.entry("Ki", BigDecimal.valueOf(1L << 10)),
          Map.entry("Mi", BigDecimal.valueOf(1L << 20)),
          Map.entry("Gi", BigDecimal.valueOf(1L << 30)),
          Map.entry("Ti", BigDecimal.valueOf(1L << 40)),
          Map.entry("Pi", BigDecimal.valueOf(1L << 50)),
          Map.entry("Ei", BigDecimal.valueOf(1L << 60)));
  /** Exponents beyond this are refused before {@link BigDecimal} is asked to expand them. */
  private static final int MAX_EXPONENT = 30;

  private KubernetesQuantity() {}

  /**
   * The bytes {@code text} stands for.
   *
   * @return the value, or what is wrong with the text (not a quantity, negative, zero, above
   *     {@link Long#MAX_VALUE})
   */
  static Result bytes(String text) {
    String t = text == null ? "" : text.trim();
    Matcher m = QUANTITY.matcher(t);
    if (!m.matches()) {
      return Result.bad("'" + text + "' is not a Kubernetes quantity (e.g. 512Mi, 1.5Gi, 2G)");
    }
    BigDecimal number = new BigDecimal(m.group(1).endsWith(".") ? m.group(1) + "0" : m.group(1));
    String suffix = m.group(2);
    BigDecimal value;
    if (suffix.length() > 1 && (suffix.charAt(0) == 'e' || suffix.charAt(0) == 'E')
        && !suffix.equals("Ei")) {
      int exp;
      try {
        exp = Integer.parseInt(suffix.substring(1));
      } catch (NumberFormatException e) {
        exp = Integer.MAX_VALUE;
      }
      if (Math.abs(exp) > MAX_EXPONENT) {
        return Result.bad("'" + text + "': exponent out of range");
      }
      value = number.scaleByPowerOfTen(exp);
    } else {
      BigDecimal multiplier = SUFFIXES.get(suffix);
      if (multiplier == null) {
        return Result.bad("'" + text + "': unknown suffix '" + suffix + "' (binary Ki..Ei,"
            + " decimal n u m k M G T P E, or an exponent e<n>)");
      }
      value = number.multiply(multiplier);
    }
    BigDecimal bytes = value.setScale(0, RoundingMode.CEILING);
    if (bytes.signum() == 0) {
      return Result.bad("'" + text + "' is zero");
    }
    if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      return Result.bad("'" + text + "' is too large");
    }
    return new Result(bytes.longValueExact(), null);
  }

  /** A number of bytes, or the problem that kept the text from being one. */
  record Result(long bytes, String problem) {
    static Result bad(String problem) {
      return new Result(0, problem);
    }
  }
}
