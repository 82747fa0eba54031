package dev.leakwatch.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AmountsTest {

  @ParameterizedTest(name = "{0} bytes -> {1}")
  @CsvSource({
      "0, 0 B",
      "512, 512 B",
      "1023, 1023 B",
      "1024, 1 KiB",
      "1536, 1.5 KiB",
      "102348, 99.9 KiB",
      // rounding as printed decides the unit and the decimals
      "102380, 100 KiB",
      "1048575, 1.0 MiB",
      "1048064, 1.0 MiB",
      "1047552, 1023 KiB",
      "-1048575, -1.0 MiB",
      "41943040, 40 MiB",
      "1073741823, 1.0 GiB",
  })
  void shouldPrintBytesInTheLargestUnitThatKeepsThePrintedNumberUnder1024(double bytes, String printed) {
    assertEquals(printed, Amounts.bytes(bytes));
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource({
      "41943040, bytes/hour, 40 MiB/hour",
      "1048575, bytes, 1.0 MiB",
      "520, goroutines, 520 goroutines",
      "12.25, goroutines/hour, 12.3 goroutines/hour",
      "99.96, goroutines/hour, 100 goroutines/hour",
  })
  void shouldKeepTheUnitsPerPartAndPrintOtherUnitsAsGiven(double value, String unit, String printed) {
    assertEquals(printed, Amounts.format(value, unit));
  }
}
