package dev.leakwatch.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The duration and size notations of the configuration file. */
class UnitsTest {

  @ParameterizedTest
  @CsvSource({"0,0", "250ms,250", "30s,30000", "2m,120000", "1m30s,90000", "1h,3600000", "1d,86400000"})
  void shouldParseDurations(String text, long millis) {
    assertEquals(Duration.ofMillis(millis), Durations.parse(text, "x"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "30", "s", "30 s", "-5s", "1.5s", "30sec", "5s3"})
  void shouldRejectMalformedDurations(String text) {
    ConfigException e = assertThrows(ConfigException.class, () -> Durations.parse(text, "a.b"));
    assertEquals("a.b: '" + text + "' is not a duration (use e.g. 500ms, 30s, 1m30s, 2h)", e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({"90000,1m30s", "250,250ms", "7200000,2h", "0,0s"})
  void shouldFormatDurationsCompactly(long millis, String text) {
    assertEquals(text, Durations.format(Duration.ofMillis(millis)));
  }

  @ParameterizedTest
  @CsvSource({
    "1024,1024", "1KiB,1024", "16MiB,16777216", "16mib,16777216", "1GiB,1073741824",
    "1KB,1000", "2MB,2000000", "3 GB,3000000000", "17b,17"
  })
  void shouldParseSizes(String text, long bytes) {
    assertEquals(bytes, ByteSizes.parse(text, "x"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "MiB", "1.5MiB", "-1", "16 parsecs", "99999999999999999999"})
  void shouldRejectMalformedSizes(String text) {
    assertThrows(ConfigException.class, () -> ByteSizes.parse(text, "x"));
  }

  @ParameterizedTest
  @CsvSource({"16777216,16MiB", "1536,1536B", "1024,1KiB", "3221225472,3GiB"})
  void shouldFormatSizesWithExactBinaryUnit(long bytes, String text) {
    assertEquals(text, ByteSizes.format(bytes));
  }
}
