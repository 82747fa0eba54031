package dev.leakwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.processor.ProcessorConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code agent|gateway|processor --check}: a configuration that would start exits 0 with what would
 * run, one that would not exits 2 with the reason the start gives; nothing is contacted, bound or
 * created. The broker address 127.0.0.1:1 answers nobody: a start that reached out would fail or hang.
 */
class ConfigCheckTest {

  @TempDir Path dir;

  @Test
  void shouldPrintTheRulesDigestRunningProcessorsShowWhenTheProcessorConfigurationIsValid() throws Exception {
    Path state = dir.resolve("state");
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Path cfg = Files.writeString(dir.resolve("processor.yaml"), "bootstrapServers: 127.0.0.1:1\nstateDir: " + state
          + "\nhttp: {port: " + taken.getLocalPort() + "}\n"
          + "detection:\n  services:\n    - match: [orders-*, billing]\n      warmup: 30m\n"
          + "    - match: legacy-batch\n      judge: false\n"
          + "streams: {my.plugin.setting: x}\n");

      Run r = runProcessor("processor", "--config", cfg.toString(), "--check");

      assertEquals(0, r.code(), r.err());
      String digest = ProcessorConfig.load(cfg, w -> { }).topology().detectionPolicy().digest();
      assertTrue(r.out().startsWith("processor: " + cfg + " is valid\n"), r.out());
      assertTrue(r.out().contains("detection rules: digest " + digest + " "), r.out());
      assertTrue(r.out().contains("2 per-service rule(s), re-read every 30s"), r.out());
      assertTrue(r.out().contains("detection.services[0]: services [orders-*, billing] judged with {warmup=PT30M}"),
          r.out());
      assertTrue(r.out().contains("detection.services[1]: services [legacy-batch] not judged"), r.out());
      assertTrue(r.out().contains("at 127.0.0.1:1 (not contacted)"), r.out());
      assertTrue(r.out().contains("  warning: streams.my.plugin.setting: not a setting"), r.out());
      assertFalse(Files.exists(state), "a check creates no state directory");
    }
  }

  @Test
  void shouldExitWith2AndTheStartsReasonWhenKafkaWouldRefuseAProcessorSetting() throws Exception {
    Run r = checkProcessor("bootstrapServers: 127.0.0.1:1\nstreams: {producer.acks: maybe}\n");

    assertEquals(2, r.code(), r.err());
    assertEquals("processor: Invalid value maybe for configuration acks: String must be one of: all, -1, 0, 1",
        r.err().trim());
    assertEquals("", r.out());
  }

  @Test
  void shouldExitWith2NamingTheRuleWhenAPerServiceRuleIsBad() throws Exception {
    Run r = checkProcessor(
        "bootstrapServers: 127.0.0.1:1\ndetection:\n  services:\n    - match: orders-*\n      resolveAfter: 1h\n");

    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().startsWith("processor: bad configuration " + dir.resolve("processor.yaml")
        + ": detection.services[0].resolveAfter: the same for every service"), r.err());
    assertEquals("", r.out());
  }

  @Test
  void shouldCountTheTargetsOfStaticListAndFilesWhenTheAgentConfigurationIsValid() throws Exception {
    Files.writeString(dir.resolve("targets.yaml"),
        "- service: a\n  url: http://10.0.0.1:6060\n- service: b\n  url: http://10.0.0.2:6060\n");
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Path cfg = Files.writeString(dir.resolve("agent.yaml"), "kafka:\n  client: {bootstrap.servers: '127.0.0.1:1'}\n"
          + "http: {port: " + taken.getLocalPort() + "}\n"
          + "discovery: {files: [targets.yaml, later.yaml]}\n"
          + "targets:\n  - {service: c, url: 'http://10.0.0.3:6060'}\n");
      CliRun cli = new CliRun();

      assertEquals(0, cli.run("agent", "--config", cfg.toString(), "--check"), cli.err());

      assertTrue(cli.out().startsWith("leakwatch agent: " + cfg + " is valid\n"), cli.out());
      assertTrue(cli.out().contains("publishes to topic leakwatch.profiles at 127.0.0.1:1 (not contacted)"),
          cli.out());
      assertTrue(cli.out().contains("targets: 1 static, 2 in 2 target file(s) now"), cli.out());
    }
  }

  @Test
  void shouldExitWith2NamingTheFileWhenATargetFileIsMalformed() throws Exception {
    Path targets = Files.writeString(dir.resolve("targets.yaml"), "- service: a\n  url: [oops\n");
    Path cfg = Files.writeString(dir.resolve("agent.yaml"), "kafka:\n  client: {bootstrap.servers: '127.0.0.1:1'}\n"
        + "discovery: {files: [targets.yaml]}\n");
    CliRun cli = new CliRun();

    assertEquals(2, cli.run("agent", "--config", cfg.toString(), "--check"));

    assertTrue(cli.err().startsWith("leakwatch agent: " + cfg + ": " + targets + ": not valid YAML"), cli.err());
    assertEquals("", cli.out());
  }

  @Test
  void shouldExitWith2AndTheStartsReasonWhenTheKafkaClientWouldRefuseAnAgentSetting() throws Exception {
    Path cfg = Files.writeString(dir.resolve("agent.yaml"),
        "kafka:\n  client: {bootstrap.servers: '127.0.0.1:1', acks: sometimes}\n");
    CliRun cli = new CliRun();

    assertEquals(2, cli.run("gateway", "--config", cfg.toString(), "--check"));

    assertEquals("leakwatch gateway: " + cfg + ": kafka.client: Invalid value sometimes for configuration"
        + " acks: String must be one of: all, -1, 0, 1", cli.err().trim());
  }

  @Test
  void shouldExitWith2NamingTheKeystoreWhenTheAgentsKeystoreCannotBeRead() throws Exception {
    Path missing = dir.resolve("no-such-keystore.p12");
    Path cfg = Files.writeString(dir.resolve("agent.yaml"), "kafka:\n  client: {bootstrap.servers: '127.0.0.1:1',"
        + " security.protocol: SSL, ssl.keystore.location: '" + missing + "', ssl.keystore.password: x}\n");
    CliRun cli = new CliRun();

    assertEquals(2, cli.run("agent", "--config", cfg.toString(), "--check"), cli.out());

    assertTrue(cli.err().startsWith("leakwatch agent: " + cfg + ": kafka.client: Failed to load SSL keystore " + missing),
        cli.err());
    assertEquals("", cli.out());
  }

  @Test
  void shouldRefuseAMalformedJaasConfigAndPassAWellFormedOneWhenTheAgentUsesSasl() throws Exception {
    String sasl = "kafka:\n  client:\n    bootstrap.servers: '127.0.0.1:1'\n    security.protocol: SASL_PLAINTEXT\n"
        + "    sasl.mechanism: PLAIN\n    sasl.jaas.config: ";
    Path bad = Files.writeString(dir.resolve("bad.yaml"), sasl + "'not a jaas entry'\n");
    Path good = Files.writeString(dir.resolve("good.yaml"), sasl
        + "'org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"p\";'\n");
    CliRun cli = new CliRun();

    assertEquals(2, cli.run("agent", "--config", bad.toString(), "--check"), cli.out());
    assertTrue(cli.err().startsWith("leakwatch agent: " + bad + ": kafka.client: Invalid login module control flag"),
        cli.err());
    assertEquals(0, cli.run("agent", "--config", good.toString(), "--check"), cli.err());
  }

  /**
   * Kafka's JAAS parser names a key it finds without a value, and a password with an unquoted space
   * or a stray quote puts its rest in a key's place: the refusal, printed by --check and by a start,
   * quoted part of the password.
   */
  @Test
  void shouldNotQuoteAPasswordsRestWhenAJaasConfigDoesNotParse() throws Exception {
    String jaas = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=pa ss-s3cret;";
    Path agent = Files.writeString(dir.resolve("agent.yaml"), "kafka:\n  client:\n    bootstrap.servers: '127.0.0.1:1'\n"
        + "    security.protocol: SASL_PLAINTEXT\n    sasl.mechanism: PLAIN\n    sasl.jaas.config: '" + jaas + "'\n");
    CliRun cli = new CliRun();

    assertEquals(2, cli.run("agent", "--config", agent.toString(), "--check"), cli.out());
    assertTrue(cli.err().contains("JAAS config"), cli.err());
    assertFalse(cli.err().contains("s3cret"), cli.err());

    Run processor = checkProcessor("bootstrapServers: 127.0.0.1:1\nstreams:\n  security.protocol: SASL_PLAINTEXT\n"
        + "  sasl.mechanism: PLAIN\n  sasl.jaas.config: '" + jaas + "'\n");
    assertEquals(2, processor.code(), processor.err());
    assertTrue(processor.err().contains("JAAS config"), processor.err());
    assertFalse(processor.err().contains("s3cret"), processor.err());
  }

  @Test
  void shouldExitWith2NamingTheKeystoreWhenAProcessorClientsKeystoreCannotBeRead() throws Exception {
    Path missing = dir.resolve("no-such-keystore.p12");
    Run r = checkProcessor("bootstrapServers: 127.0.0.1:1\nstreams:\n  security.protocol: SSL\n"
        + "  admin.ssl.keystore.location: '" + missing + "'\n  admin.ssl.keystore.password: x\n");

    assertEquals(2, r.code(), r.out());
    assertTrue(r.err().startsWith("processor: Failed to load SSL keystore " + missing), r.err());
    assertEquals("", r.out());
  }

  @Test
  void shouldExitWith2NamingTheAddressWhenABootstrapServerHasNoPort() throws Exception {
    Path cfg = Files.writeString(dir.resolve("agent.yaml"), "kafka:\n  client: {bootstrap.servers: 'kafka-0'}\n");
    CliRun cli = new CliRun();

    assertEquals(2, cli.run("agent", "--config", cfg.toString(), "--check"), cli.out());
    assertEquals("leakwatch agent: " + cfg + ": kafka.client: Invalid url in bootstrap.servers: kafka-0",
        cli.err().trim());

    Run r = checkProcessor("bootstrapServers: 127.0.0.1:1\n");
    Run overridden = runProcessor("processor", "--config", dir.resolve("processor.yaml").toString(),
        "--bootstrap-servers", "127.0.0.1:70000", "--check");

    assertEquals(0, r.code(), r.err());
    assertEquals(2, overridden.code(), overridden.out());
    assertEquals("processor: Invalid port in bootstrap.servers: 127.0.0.1:70000", overridden.err().trim());
  }

  @Test
  void shouldExitWith2NamingTheClassWhenAnInterceptorCannotBeLoaded() throws Exception {
    Path cfg = Files.writeString(dir.resolve("agent.yaml"),
        "kafka:\n  client: {bootstrap.servers: '127.0.0.1:1', interceptor.classes: com.example.Missing}\n");
    CliRun cli = new CliRun();

    assertEquals(2, cli.run("agent", "--config", cfg.toString(), "--check"), cli.out());
    assertEquals("leakwatch agent: " + cfg + ": kafka.client: Class com.example.Missing cannot be found: com.example.Missing",
        cli.err().trim());

    Run r = checkProcessor("bootstrapServers: 127.0.0.1:1\nstreams: {consumer.interceptor.classes: java.lang.String}\n");

    assertEquals(2, r.code(), r.out());
    assertEquals("processor: java.lang.String is not an instance of org.apache.kafka.clients.consumer.ConsumerInterceptor",
        r.err().trim());
  }

  @Test
  void shouldRefuseAnOpenGatewayOnCheckAsItsStartWould() throws Exception {
    Path cfg = Files.writeString(dir.resolve("agent.yaml"), "kafka:\n  client: {bootstrap.servers: '127.0.0.1:1'}\n"
        + "http: {host: 0.0.0.0}\npush: {enabled: false}\n");
    CliRun cli = new CliRun();

    assertEquals(0, cli.run("agent", "--config", cfg.toString(), "--check"), cli.err());
    assertTrue(cli.out().contains("push off"), cli.out());
    assertEquals(2, cli.run("gateway", "--config", cfg.toString(), "--check"));
    assertTrue(cli.err().contains("push: the push endpoint would accept anyone on 0.0.0.0"), cli.err());
  }

  @Test
  void shouldPassTheShippedSamples() {
    // Surefire runs in the module directory: deploy/*.yaml are the shipped samples
    Run processor = runProcessor("processor", "--config", "processor.yaml", "--check");
    CliRun cli = new CliRun();

    assertEquals(0, processor.code(), processor.err());
    assertFalse(processor.out().contains("warning:"), processor.out());
    assertEquals(0, cli.run("agent", "--config", "agent.yaml", "--check"), cli.err());
    assertEquals(0, cli.run("gateway", "--config", "agent.yaml", "--check"), cli.err());
    assertFalse(cli.out().contains("warning:"), cli.out());
  }

  private record Run(int code, String out, String err) {}

  private Run checkProcessor(String yaml) throws Exception {
    Path cfg = Files.writeString(dir.resolve("processor.yaml"), yaml);
    return runProcessor("processor", "--config", cfg.toString(), "--check");
  }

  /** The processor command reports on {@code System.out} and {@code System.err}: captured. */
  private static Run runProcessor(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream savedOut = System.out;
    PrintStream savedErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int code = LeakwatchCli.commandLine().execute(args);
      return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(savedOut);
      System.setErr(savedErr);
    }
  }
}
