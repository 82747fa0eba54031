package dev.leakwatch.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

  /** A misspelt pass-through key (YAML flow mapping line) → the known name the error must suggest. */
  private static final Map<String, String> TYPOS = Map.ofEntries(
      Map.entry("streams: {sasl.jass.config: x}", "streams.sasl.jaas.config"),
      Map.entry("streams: {sasl.mechansim: PLAIN}", "streams.sasl.mechanism"),
      Map.entry("streams: {security.protocl: SSL}", "streams.security.protocol"),
      Map.entry("streams: {ssl.truststore.locaton: /t.p12}", "streams.ssl.truststore.location"),
      Map.entry("streams: {producer.lingr.ms: 5}", "streams.producer.linger.ms"),
      Map.entry("streams: {consumer.max.poll.record: 10}", "streams.consumer.max.poll.records"),
      Map.entry("streams: {main.consumer.fetch.min.byte: 1}", "streams.main.consumer.fetch.min.bytes"),
      Map.entry("streams: {restore.consumr.max.poll.records: 10}", "streams.restore.consumer.max.poll.records"),
      Map.entry("streams: {admin.retry.backof.ms: 10}", "streams.admin.retry.backoff.ms"),
      Map.entry("streams: {topic.min.insync.replica: 2}", "streams.topic.min.insync.replicas"),
      Map.entry("streams: {task.timeout.msec: 1}", "streams.task.timeout.ms"),
      // near a name another key of the file sets: that key is the one to use
      Map.entry("streams: {comit.interval.ms: 500}", "commitInterval"),
      // near a serde key: the serde section is where it is read
      Map.entry("streams: {schema.registry.ulr: 'http://sr:8081'}", "serde.schema.registry.url"),
      Map.entry("serde: {schema.registry.ulr: 'http://sr:8081'}", "serde.schema.registry.url"),
      Map.entry("serde: {auto.register.schema: false}", "serde.auto.register.schemas"),
      Map.entry("serde: {basic.auth.userinfo: 'u:p'}", "serde.basic.auth.user.info"));

  @Test
  void shouldRefuseAMisspeltPassThroughKeyNamingTheClosestKnownName() {
    TYPOS.forEach((yaml, closest) -> {
      int open = yaml.indexOf('{');
      String key = yaml.substring(0, yaml.indexOf(':')) + "." + yaml.substring(open + 1, yaml.indexOf(": ", open));
      ConfigError e = assertThrows(ConfigError.class, () -> ProcessorConfig.parse(yaml, w -> { }), yaml);
      assertTrue(e.getMessage().startsWith(key + ": not a setting "), e.getMessage());
      assertTrue(e.getMessage().contains("did you mean '" + closest + "'?"), e.getMessage());
      assertTrue(e.getMessage().endsWith("list '" + key + "' under customKeys)"), e.getMessage());
      assertEquals(-1, e.getMessage().indexOf('\n'), "one line");
    });
  }

  @Test
  void shouldRefuseAnySerdeKeyItsSerdesDoNotReadEvenFarFromEveryName() {
    ConfigError e = assertThrows(ConfigError.class,
        () -> ProcessorConfig.parse("serde: {value.subject.name.strategy: RecordNameStrategy}", w -> { }));
    assertTrue(e.getMessage().startsWith("serde.value.subject.name.strategy: not a setting Leakwatch's serdes read;"
        + " did you mean 'serde."), e.getMessage());
  }

  @Test
  void shouldWarnOnceAboutAStreamsKeyFarFromEveryNameAndStillPassItOn() {
    List<String> warnings = new ArrayList<>();
    ProcessorConfig c = ProcessorConfig.parse(
        "streams: {my.interceptor.endpoint: 'http://audit:80', producer.linger.ms: 5}", warnings::add);

    assertEquals("http://audit:80", c.streams().get("my.interceptor.endpoint"), "a plugin may read it");
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).startsWith("streams.my.interceptor.endpoint: not a setting Kafka Streams or its clients"
        + " define (closest: 'streams."), warnings.get(0));
  }

  @Test
  void shouldPassNamesKafkaBuildsFromAPrefixWithoutComplaint() {
    List<String> warnings = new ArrayList<>();
    ProcessorConfig c = ProcessorConfig.parse(String.join("\n", "streams:",
        "  config.providers: file",
        "  config.providers.file.class: org.apache.kafka.common.config.provider.FileConfigProvider",
        "  config.providers.vault.param.address: 'https://vault:8200'",
        "  producer.config.providers.env.class: org.apache.kafka.common.config.provider.EnvVarConfigProvider",
        "  sasl.jaas.config: '${file:/etc/kafka/jaas.properties:processor}'",
        "  metrics.context.team: payments",
        "  main.consumer.metrics.context.zone: a",
        "  client.tag.zone: eu-west-1a",
        "  rack.aware.assignment.tags: zone"), warnings::add);

    assertEquals(List.of(), warnings);
    assertEquals("org.apache.kafka.common.config.provider.FileConfigProvider",
        c.streams().get("config.providers.file.class"));
  }

  @Test
  void shouldPassKeysListedAsCustomWithoutRefusalOrWarning() {
    List<String> warnings = new ArrayList<>();
    ProcessorConfig c = ProcessorConfig.parse(String.join("\n",
        "customKeys: [streams.batch.sizes, streams.my.interceptor.endpoint, serde.registry.tenant]",
        "streams: {batch.sizes: '1,2', my.interceptor.endpoint: 'http://audit:80'}",
        "serde: {registry.tenant: shop}"), warnings::add);

    assertEquals(List.of(), warnings);
    assertEquals("1,2", c.streams().get("batch.sizes"));
    assertEquals("shop", c.topology().serdeConfig().get("registry.tenant"));
  }

  @Test
  void shouldRefuseACustomKeyOutsideThePassThroughSections() {
    for (String listed : List.of("batch.sizes", "windows.size", "streams.", "http")) {
      ConfigError e = assertThrows(ConfigError.class, () -> ProcessorConfig.parse("customKeys: [" + listed + "]"));
      assertEquals("customKeys: '" + listed + "' is not a key under streams or serde", e.getMessage());
    }
  }
}
