package dev.leakwatch.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * processor.yaml mistakes that must end in a {@link ConfigError} naming the key (the CLI prints it
 * in one line and exits 2), never in a value silently dropped.
 */
class ConfigFileMistakesTest {

  @Test
  void shouldNameASectionGivenTwiceInsteadOfDroppingTheFirst() {
    ConfigError e = assertThrows(ConfigError.class,
        () -> ProcessorConfig.parse("http:\n  port: 9000\nwindows:\n  size: 1m\nhttp:\n  host: 127.0.0.2\n"));
    assertEquals("http: given twice; the second would replace the first", e.getMessage());
  }

  @Test
  void shouldNameANestedKeyGivenTwiceByItsPath() {
    ConfigError e = assertThrows(ConfigError.class,
        () -> ProcessorConfig.parse("detection:\n  resolveAfter: 30m\n  warmup: 5m\n  resolveAfter: 1h\n"));
    assertEquals("detection.resolveAfter: given twice; the second would replace the first",
        e.getMessage());
  }
}
