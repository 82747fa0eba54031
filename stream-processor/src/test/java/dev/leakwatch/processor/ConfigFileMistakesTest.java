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

  @Test
  void shouldNameAValueTooLargeForItsNumberInsteadOfFailingWithAnArithmeticError() {
    assertEquals("rocksdb.blockCacheBytes: '99999999999999999999' overflows 64 bits", assertThrows(ConfigError.class,
        () -> ProcessorConfig.parse("rocksdb: {blockCacheBytes: 99999999999999999999}")).getMessage());
    assertEquals("commitInterval: '99999999999999999999ms' is too long (at most about 292 million years)",
        assertThrows(ConfigError.class, () -> ProcessorConfig.parse("commitInterval: 99999999999999999999ms"))
            .getMessage());
    // fits a Duration, not the milliseconds Kafka and stream time count in
    assertEquals("windows.retention: '999999999999999d' is too long (at most about 292 million years)",
        assertThrows(ConfigError.class, () -> ProcessorConfig.parse("windows: {retention: 999999999999999d}"))
            .getMessage());
    assertEquals("commitInterval: '9999999999999d' is too long (at most about 292 million years)",
        assertThrows(ConfigError.class, () -> ProcessorConfig.parse("commitInterval: 9999999999999d")).getMessage());
  }

  @Test
  void shouldRefuseAProcessingExceptionHandlerOfItsOwn() {
    ConfigError e = assertThrows(ConfigError.class, () -> ProcessorConfig.parse(
        "streams: {processing.exception.handler: org.apache.kafka.streams.errors.LogAndFailProcessingExceptionHandler}"));
    assertEquals("streams.processing.exception.handler: is set by Leakwatch (a stage's unexpected exception"
        + " dead-letters the record, docs/PROCESSOR.md)", e.getMessage());
  }
}
