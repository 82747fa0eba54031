package dev.leakwatch.pprof;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Go's {@code %.2f}/{@code %5.2g} and pprof's unit labels. Expected strings were printed by Go 1.19's
 * {@code fmt} (rounding of the exact binary value, ties to even), which Java's {@code String.format}
 * does not reproduce (it prints 0.13 for 0.125 and 2.68 for 2.675).
 */
class GoFormatTest {

  @ParameterizedTest
  @CsvSource({"0.125, 0.12", "2.675, 2.67", "1.005, 1.00", "0.375, 0.38", "99.994999, 99.99",
      "-1.5, -1.50"})
  void shouldFormatFixedTwoDecimalsLikeGo(double v, String expected) {
    assertEquals(expected, GoFormat.fixed2(v));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', ignoreLeadingAndTrailingWhitespace = false,
      value = {"0.5|  0.5", "0.0001234|0.00012", "0.00001234|1.2e-05", "0.996|    1",
          "0.125| 0.12", "0|    0", "0.95| 0.95"})
  void shouldFormatTwoSignificantDigitsLikeGo(double v, String expected) {
    assertEquals(expected, GoFormat.pad(GoFormat.general2(v), 5));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', ignoreLeadingAndTrailingWhitespace = false,
      value = {"1|3|33.33%", "1|100000|0.001%", "-5|10|50.00%", "9996|10000|  100%",
          "0|0|    0%"})
  void shouldFormatPercentagesLikePprof(long value, long total, String expected) {
    assertEquals(expected, GoFormat.percentage(value, total));
  }

  @ParameterizedTest
  @CsvSource({"1536, bytes, minimum, 1.50kB", "1048576, bytes, minimum, 1MB",
      "1572864, bytes, MB, 1.50MB", "-1572864, bytes, MB, -1.50MB", "524485, bytes, kB, 512.19kB",
      "0, bytes, MB, 0", "1000, bytes, MB, 0", "302, count, count, 302",
      "1500000000, nanoseconds, auto, 1.50s", "7200000000000, nanoseconds, auto, 2hrs"})
  void shouldScaleAndLabelUnitsLikePprof(long v, String from, String to, String expected) {
    assertEquals(expected, Units.label(v, from, to));
  }
}
