package dev.leakwatch.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code kafka.client} goes to the Kafka producer and the serde unchanged, and Kafka ignores a name it
 * does not know: a misspelt key must be named at load (with the closest known name), not leave its
 * setting at the default in silence.
 */
class KafkaClientKeysTest {
  private static final Path BASE = Path.of("/etc/leakwatch");

  private static AgentConfig parse(String clientLines, List<String> warnings) {
    return AgentConfigLoader.parse(
        "kafka:\n  client:\n    bootstrap.servers: localhost:9092\n" + clientLines, BASE, warnings::add);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "sasl.jass.config: x | sasl.jaas.config",
        "sasl.mechansim: PLAIN | sasl.mechanism",
        "security.protocl: SASL_SSL | security.protocol",
        "ssl.truststore.locaton: /t.p12 | ssl.truststore.location",
        "ssl.keystore.pasword: secret | ssl.keystore.password",
        "lingr.ms: 5 | linger.ms",
        "enable.idempotance: false | enable.idempotence",
        "schema.registry.ulr: 'http://sr:8081' | schema.registry.url",
        "auto.register.schema: false | auto.register.schemas",
      })
  void shouldRefuseAMisspeltClientKeyNamingTheClosestKnownName(String line, String closest) {
    String key = "kafka.client." + line.substring(0, line.indexOf(':'));
    String message =
        assertThrows(ConfigException.class, () -> parse("    " + line + "\n", new ArrayList<>()))
            .getMessage();

    assertTrue(message.startsWith(key + ": not a setting the Kafka producer or Leakwatch's serde define;"
        + " did you mean 'kafka.client." + closest + "'?"), message);
    assertTrue(message.endsWith("list '" + key + "' under customKeys)"), message);
    assertEquals(-1, message.indexOf('\n'), "one line");
  }

  @Test
  void shouldWarnAboutAClientKeyFarFromEveryNameAndStillPassItOn() {
    List<String> warnings = new ArrayList<>();
    AgentConfig c = parse("    interceptor.audit.endpoint: 'http://audit:80'\n", warnings);

    assertEquals("http://audit:80", c.kafka().client().get("interceptor.audit.endpoint"), "a plugin may read it");
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).startsWith("kafka.client.interceptor.audit.endpoint: not a setting the Kafka producer"
        + " or Leakwatch's serde define (closest: 'kafka.client."), warnings.get(0));
  }

  @Test
  void shouldLoadDocumentedAndDynamicClientKeysWithoutComplaint() {
    List<String> warnings = new ArrayList<>();
    // deploy/agent.yaml's examples, docs/INGEST.md's producer defaults, a config provider's keys
    AgentConfig c = parse(
        String.join("\n",
            "    security.protocol: SASL_SSL", "    sasl.mechanism: SCRAM-SHA-512",
            "    sasl.jaas.config: '${file:/etc/leakwatch/kafka.properties:jaas}'",
            "    ssl.truststore.location: /etc/leakwatch/truststore.p12",
            "    schema.registry.url: 'http://schema-registry:8081'", "    basic.auth.user.info: 'u:p'",
            "    linger.ms: 50", "    enable.idempotence: true", "    acks: all", "    compression.type: zstd",
            "    batch.size: 262144", "    max.request.size: 17825792", "    buffer.memory: 67108864",
            "    config.providers: file",
            "    config.providers.file.class: org.apache.kafka.common.config.provider.FileConfigProvider",
            "    config.providers.vault.param.address: 'https://vault:8200'",
            "    metrics.context.team: payments", ""),
        warnings);

    assertEquals(List.of(), warnings);
    assertEquals("file", c.kafka().client().get("config.providers"));
  }

  @Test
  void shouldLoadConfluentsRegistryTlsAndCredentialSourceKeysWithoutComplaint() {
    List<String> warnings = new ArrayList<>();
    AgentConfig c = parse(
        String.join("\n",
            "    schema.registry.url: 'https://sr.internal:8081'",
            "    bearer.auth.credentials.source: STATIC_TOKEN", "    bearer.auth.token: t0k",
            "    schema.registry.ssl.truststore.location: /etc/leakwatch/registry-ca.pem",
            "    schema.registry.ssl.truststore.type: PEM",
            "    schema.registry.ssl.keystore.location: /etc/leakwatch/registry-client.pem",
            "    schema.registry.ssl.keystore.type: PEM",
            "    schema.registry.ssl.endpoint.identification.algorithm: ''", ""),
        warnings);

    assertEquals(List.of(), warnings);
    assertEquals("STATIC_TOKEN", c.kafka().client().get("bearer.auth.credentials.source"));
  }

  @Test
  void shouldPassClientKeysListedAsCustomWithoutRefusalOrWarning() {
    List<String> warnings = new ArrayList<>();
    AgentConfig c = AgentConfigLoader.parse(
        "customKeys: [kafka.client.batch.sizes, kafka.client.interceptor.audit.endpoint]\n"
            + "kafka:\n  client:\n    bootstrap.servers: localhost:9092\n    batch.sizes: '1,2'\n"
            + "    interceptor.audit.endpoint: 'http://audit:80'\n",
        BASE, warnings::add);

    assertEquals(List.of(), warnings);
    assertEquals("1,2", c.kafka().client().get("batch.sizes"));
  }

  @Test
  void shouldRefuseACustomKeyOutsideTheClientSection() {
    for (String listed : List.of("batch.sizes", "kafka.topic", "kafka.client.")) {
      String message = assertThrows(ConfigException.class, () -> AgentConfigLoader.parse(
          "customKeys: [" + listed + "]\nkafka:\n  client:\n    bootstrap.servers: localhost:9092\n", BASE,
          w -> { })).getMessage();
      assertEquals("customKeys: '" + listed + "' is not a key under kafka.client", message);
    }
  }
}
