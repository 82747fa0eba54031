package dev.leakwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.agent.config.AgentConfig;
import dev.leakwatch.agent.config.AgentConfigLoader;
import dev.leakwatch.agent.model.ProfileKind;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AgentCommandTest {
  @TempDir Path dir;

  private static int run(StringWriter err, String... args) {
    CommandLine cl = LeakwatchCli.commandLine();
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @Test
  void shouldShipSampleConfigThatLoads() {
    // Surefire runs in the module directory: deploy/agent.yaml is the shipped sample.
    List<String> warnings = new ArrayList<>();
    AgentConfig c = AgentConfigLoader.load(Path.of("agent.yaml"), warnings::add);
    assertEquals(List.of(), warnings);
    assertEquals("127.0.0.1", c.http().host());
    assertEquals("127.0.0.1:9092", c.kafka().client().get("bootstrap.servers"));
    assertEquals("goleaker/127.0.0.1:6060", c.targets().get(0).id().recordKey());
    assertEquals(ProfileKind.DEFAULTS, c.targets().get(0).profiles());
  }

  @Test
  void shouldLoadTheSamplesKafkaClientExamplesWithoutComplaint() throws Exception {
    // the commented examples under kafka.client, uncommented
    String yaml = Files.readString(Path.of("agent.yaml")).replaceAll("(?m)^    # ([a-z]+\\.[\\w.]*: )", "    $1");
    List<String> warnings = new ArrayList<>();
    AgentConfig c = AgentConfigLoader.parse(yaml, Path.of("").toAbsolutePath(), warnings::add);

    assertEquals(List.of(), warnings);
    assertEquals("SCRAM-SHA-512", c.kafka().client().get("sasl.mechanism"), "the examples were read");
  }

  @Test
  void shouldLoadTheSamplesKubernetesDiscoveryExampleUncommented() throws Exception {
    // the commented discovery section, uncommented, but for the two keys that need a pod (its
    // service account's ca.crt, its NODE_NAME variable)
    String yaml = Files.readString(Path.of("agent.yaml"))
        .replaceAll("(?m)^#.*(caFile|nodeFromEnv):.*$", "")
        .replaceAll("(?m)^# ((?:discovery| {2}[a-zA-Z]+| {4}[a-zA-Z]+):)", "$1");
    AgentConfig c = AgentConfigLoader.parse(yaml, Path.of("").toAbsolutePath());

    assertEquals(List.of("shop", "payments"), c.discovery().kubernetes().namespaces());
    assertEquals("app.kubernetes.io/version", c.discovery().kubernetes().labels().get("version"));
  }

  @Test
  void shouldExitWith2NamingAMisspeltKafkaClientKeyAndTheClosestName() throws Exception {
    Path cfg = dir.resolve("agent.yaml");
    Files.writeString(cfg, "kafka:\n  client: {bootstrap.servers: 'x:1', sasl.jass.config: x}\n");
    StringWriter err = new StringWriter();

    assertEquals(2, run(err, "agent", "--config", cfg.toString()));
    String line = err.toString().trim();
    assertTrue(line.startsWith("leakwatch agent: " + cfg + ": kafka.client.sasl.jass.config: not a setting"), line);
    assertTrue(line.contains("did you mean 'kafka.client.sasl.jaas.config'?"), line);
    assertEquals(-1, line.indexOf('\n'), "one line, no stack trace");
  }

  @Test
  void shouldExitWith2AndNameTheProblemForBadConfig() throws Exception {
    Path cfg = dir.resolve("agent.yaml");
    Files.writeString(cfg, "kafka:\n  client: {bootstrap.servers: x:1}\nscrape:\n  interval: soon\n");
    StringWriter err = new StringWriter();

    assertEquals(2, run(err, "agent", "--config", cfg.toString()));
    assertEquals(
        "leakwatch agent: " + cfg + ": scrape.interval: 'soon' is not a duration (use e.g. 500ms,"
            + " 30s, 1m30s, 2h)",
        err.toString().trim());
  }

  @Test
  void shouldExitWith2AndNameTheProblemForABadShard() throws Exception {
    Path cfg = dir.resolve("agent.yaml");
    Files.writeString(cfg, "kafka:\n  client: {bootstrap.servers: x:1}\n");
    StringWriter err = new StringWriter();

    assertEquals(2, run(err, "agent", "--config", cfg.toString(), "--shard", "3/3"));
    assertEquals("leakwatch agent: --shard '3/3': index must be 0 to 2 (count - 1), got 3", err.toString().trim());
  }

  @Test
  void shouldRefuseOpenGatewayWithoutTokensGivenOnCommandLine() throws Exception {
    Path cfg = dir.resolve("agent.yaml");
    Files.writeString(cfg, "kafka:\n  client: {bootstrap.servers: x:1}\n");
    StringWriter err = new StringWriter();

    assertEquals(2, run(err, "gateway", "--config", cfg.toString(), "--http-host", "0.0.0.0"));
    assertTrue(
        err.toString().contains("push: the push endpoint would accept anyone on 0.0.0.0"),
        err.toString());
  }

  @Test
  void shouldRefuseOpenGatewayWhenConfigFileBindsAllInterfacesWithPushDisabled() throws Exception {
    // valid for an agent (no push endpoint), but the gateway turns the endpoint on
    Path cfg = dir.resolve("agent.yaml");
    Files.writeString(
        cfg,
        "kafka:\n  client: {bootstrap.servers: x:1}\nhttp:\n  host: 0.0.0.0\n  port: 0\n"
            + "push:\n  enabled: false\n");
    StringWriter err = new StringWriter();

    assertEquals(2, run(err, "gateway", "--config", cfg.toString()));
    assertEquals(
        "leakwatch gateway: " + cfg + ": push: the push endpoint would accept anyone on 0.0.0.0;"
            + " set push.tokens (or push.tokensFile), bind http.host to 127.0.0.1, or set"
            + " push.allowUnauthenticated: true",
        err.toString().trim());
  }

  @Test
  void shouldExitWith2AndNameTheSettingWhenTheKafkaClientRefusesIt() throws Exception {
    Path cfg = dir.resolve("agent.yaml");
    Files.writeString(
        cfg,
        "kafka:\n  client: {bootstrap.servers: '127.0.0.1:1', acks: sometimes}\n"
            + "http:\n  port: 0\n");
    StringWriter err = new StringWriter();

    assertEquals(2, run(err, "agent", "--config", cfg.toString()));
    assertEquals(
        "leakwatch agent: " + cfg + ": kafka.client: Invalid value sometimes for configuration"
            + " acks: String must be one of: all, -1, 0, 1",
        err.toString().trim());
  }

  @Test
  void shouldReportMissingConfigFileInOneLine() {
    StringWriter err = new StringWriter();
    Path missing = dir.resolve("nope.yaml");
    assertEquals(2, run(err, "agent", "--config", missing.toString()));
    assertEquals("leakwatch agent: cannot read " + missing + ": no such file", err.toString().trim());
  }

  @Test
  void shouldExitWith2InOneLineWhenTheHttpPortIsTaken() throws Exception {
    // a resolvable broker address: the Kafka client is made before the HTTP server
    Path cfg = dir.resolve("agent.yaml");
    Files.writeString(cfg, "kafka:\n  client: {bootstrap.servers: 127.0.0.1:1}\n");
    StringWriter err = new StringWriter();
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();

      assertEquals(2, run(err, "gateway", "--config", cfg.toString(), "--http-port", String.valueOf(port)));

      String line = err.toString().trim();
      assertTrue(line.startsWith("leakwatch gateway: cannot serve HTTP on 127.0.0.1:" + port + " ("), line);
      assertTrue(line.endsWith("); set http.port in " + cfg + " or pass --http-port (0 for a free port)"), line);
      assertEquals(-1, line.indexOf('\n'), "one line, no stack trace");
    }
  }

  @Test
  void shouldExitWith2InOneLineWhenTheHttpHostIsNoAddressOfThisMachineEvenWithAFreePort() throws Exception {
    // 192.0.2.1 (TEST-NET-1) is no machine's own address; port 0 would pick a free port but cannot help
    Path cfg = dir.resolve("agent.yaml");
    Files.writeString(cfg, "kafka:\n  client: {bootstrap.servers: 127.0.0.1:1}\npush: {enabled: false}\n");
    StringWriter err = new StringWriter();

    assertEquals(2, run(err, "agent", "--config", cfg.toString(), "--http-host", "192.0.2.1", "--http-port", "0"),
        err.toString());

    String line = err.toString().trim();
    assertTrue(line.startsWith("leakwatch agent: cannot serve HTTP on 192.0.2.1:0 ("), line);
    assertTrue(line.endsWith("); set http.host in " + cfg + " or pass --http-host (an address of this machine)"), line);
    assertEquals(-1, line.indexOf('\n'), "one line, no stack trace");
  }

  @Test
  void shouldRefuseAnHttpPortOutsideTheRangeAsAUsageError() {
    StringWriter err = new StringWriter();

    assertEquals(2, run(err, "agent", "--config", dir.resolve("agent.yaml").toString(), "--http-port", "70000"));

    assertTrue(err.toString().startsWith(
        "Invalid value for option '--http-port': '70000' is not a port (0 to 65535; 0 picks a free one)"), err.toString());
  }
}
