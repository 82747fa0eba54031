package dev.leakwatch.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code discovery.kubernetes}: defaults from the pod's environment, every mistake named by path. */
class KubernetesSettingsTest {
  private static final Map<String, String> IN_A_POD =
      Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1", "KUBERNETES_SERVICE_PORT", "443",
          "NODE_NAME", "worker-3");
  @TempDir Path dir;

  private KubernetesSettings parse(String section, Map<String, String> env) {
    UnaryOperator<String> lookup = env::get;
    return KubernetesSettings.parse(
        new ConfigNode(AgentConfigLoader.parseYaml(section, "test"), "discovery.kubernetes"), dir,
        lookup);
  }

  @Test
  void shouldBeOffWhenTheSectionIsAbsent() {
    AgentConfig cfg = AgentConfigLoader.parse("kafka:\n  client:\n    bootstrap.servers: 127.0.0.1:1\n", dir);
    assertNull(cfg.discovery().kubernetes());
  }

  @Test
  void shouldDefaultToTheInClusterApiServerAndServiceAccountFiles() {
    KubernetesSettings s = parse("{}", IN_A_POD);

    assertEquals(URI.create("https://10.96.0.1:443"), s.apiServer());
    assertEquals(Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token"), s.tokenFile());
    assertEquals(List.of(), s.namespaces());
    assertNull(s.node());
    assertNull(s.labelSelector());
    assertEquals(Duration.ofSeconds(1), s.applyDelay());
  }

  @Test
  void shouldReadEveryKey() {
    KubernetesSettings s =
        parse("apiServer: http://127.0.0.1:8001/\ntokenFile: token\nnamespaces: [prod, staging]\n"
            + "labelSelector: tier=backend\nnodeFromEnv: NODE_NAME\n"
            + "labels: {team: team, version: app.kubernetes.io/version}\napplyDelay: 2s\n", Map.of(
                "NODE_NAME", "worker-3"));

    assertEquals(URI.create("http://127.0.0.1:8001"), s.apiServer());
    assertEquals(dir.resolve("token"), s.tokenFile());
    assertEquals(List.of("prod", "staging"), s.namespaces());
    assertEquals("tier=backend", s.labelSelector());
    assertEquals("worker-3", s.node());
    assertEquals(Map.of("team", "team", "version", "app.kubernetes.io/version"), s.labels());
    assertEquals(Duration.ofSeconds(2), s.applyDelay());
  }

  static Stream<Arguments> mistakes() {
    return Stream.of(
        Arguments.of("", "discovery.kubernetes.apiServer: required outside a pod"),
        Arguments.of("apiServer: ftp://x", "discovery.kubernetes.apiServer: 'ftp://x' must be an http(s) URL"),
        Arguments.of("nodeFromEnv: MY_NODE",
            "discovery.kubernetes.nodeFromEnv: environment variable MY_NODE is not set"),
        Arguments.of("node: a\nnodeFromEnv: NODE_NAME", "discovery.kubernetes: set node or nodeFromEnv, not both"),
        Arguments.of("labels: {git-sha: sha}", "discovery.kubernetes.labels: label 'git-sha': name contains '-'"),
        Arguments.of("labels: {node: kubernetes.io/hostname}",
            "discovery.kubernetes.labels.node: every discovered target has this label"),
        Arguments.of("namespace: prod", "discovery.kubernetes.namespace: unknown key"),
        Arguments.of("namespaces: [prod, staging, prod]",
            "discovery.kubernetes.namespaces[2]: 'prod' is listed twice"),
        Arguments.of("caFile: missing.pem", "discovery.kubernetes.caFile: cannot read"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("mistakes")
  void shouldRefuseAMistakeNamingItsPath(String yaml, String message) {
    String section = yaml.isEmpty() ? "{}" : yaml;
    Map<String, String> env = yaml.isEmpty() ? Map.of() : IN_A_POD;
    ConfigException e = assertThrows(ConfigException.class, () -> parse(section, env));
    assertEquals(true, e.getMessage().startsWith(message), e.getMessage());
  }
}
