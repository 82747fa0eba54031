package dev.leakwatch.manifests;

import static dev.leakwatch.manifests.KubernetesManifests.DAEMONSET_DIR;
import static dev.leakwatch.manifests.KubernetesManifests.DIR;
import static dev.leakwatch.manifests.KubernetesManifests.configMapData;
import static dev.leakwatch.manifests.KubernetesManifests.container;
import static dev.leakwatch.manifests.KubernetesManifests.daemonSet;
import static dev.leakwatch.manifests.KubernetesManifests.daemonSetObjects;
import static dev.leakwatch.manifests.KubernetesManifests.mountPath;
import static dev.leakwatch.manifests.KubernetesManifests.namedPort;
import static dev.leakwatch.manifests.KubernetesManifests.object;
import static dev.leakwatch.manifests.KubernetesManifests.processorConfigOfFirstPod;
import static dev.leakwatch.manifests.Manifests.assertCliAccepts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leakwatch.agent.config.AgentConfig;
import dev.leakwatch.agent.config.AgentConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/k8s-agent-daemonset: one agent per node, scraping the annotated pods of its node, next to
 * everything of deploy/k8s. Its configuration is read by the agent's own loader with the
 * environment its pod gets.
 */
class KubernetesDaemonSetManifestTest {
  @TempDir Path tmp;

  @Test
  void shouldAddEveryOwnManifestToDeployK8sWithItsNamespaceAndImage() throws IOException {
    JsonNode overlay = Manifests.document(DAEMONSET_DIR.resolve("kustomization.yaml"));
    JsonNode base = Manifests.document(DIR.resolve("kustomization.yaml"));
    Set<String> files = new TreeSet<>(Set.of("../k8s"));
    try (Stream<Path> s = Files.list(DAEMONSET_DIR)) {
      s.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".yaml") && !f.equals("kustomization.yaml"))
          .forEach(files::add);
    }
    assertEquals(files, new TreeSet<>(Manifests.strings(overlay.path("resources"))));
    assertEquals(base.path("namespace"), overlay.path("namespace"), "the namespace agent-rbac.yaml binds");
    assertEquals(base.path("images"), overlay.path("images"), "the image deploy/k8s runs");
    for (JsonNode o : daemonSetObjects()) {
      assertTrue(KubernetesManifests.objects().stream().noneMatch(b -> b.path("kind").equals(o.path("kind"))
          && b.path("metadata").path("name").equals(o.path("metadata").path("name"))), "no clash: " + o.path("metadata"));
    }
  }

  @Test
  void shouldRunAsTheServiceAccountAllowedToReadPods() {
    String account = daemonSet().path("spec").path("template").path("spec").path("serviceAccountName").asText();
    assertFalse(object("ServiceAccount", account).isMissingNode());
    assertEquals(account, object("ClusterRoleBinding", "leakwatch-agent-pods").path("subjects").get(0).path("name").asText());
  }

  @Test
  void shouldDiscoverOnlyThePodsOfItsOwnNodeNamedByTheDownwardApi() {
    JsonNode agent = container(daemonSet(), "agent");
    String yaml = nodeAgentYaml(agent);
    String variable = Manifests.parse(yaml, "agent.yaml").path("discovery").path("kubernetes").path("nodeFromEnv").asText();
    JsonNode env = null;
    for (JsonNode e : agent.path("env")) {
      if (e.path("name").asText().equals(variable)) {
        env = e;
      }
    }
    assertTrue(env != null, "the container sets no " + variable);
    assertEquals("spec.nodeName", env.path("valueFrom").path("fieldRef").path("fieldPath").asText());

    Map<String, String> podEnv = Map.of(
        variable, "node-7", "KUBERNETES_SERVICE_HOST", "10.96.0.1", "KUBERNETES_SERVICE_PORT", "443");
    List<String> warnings = new ArrayList<>();
    AgentConfig c = AgentConfigLoader.parse(yaml, tmp, warnings::add, podEnv::get);
    assertEquals(List.of(), warnings, "unknown kafka.client keys");
    assertEquals("node-7", c.discovery().kubernetes().node());
    assertEquals(List.of(), c.targets(), "static targets would be scraped by every node's agent");
    assertEquals(List.of(), c.discovery().files(), "target files would be scraped by every node's agent");
    assertFalse(c.push().enabled(), "pushes go to the Deployment's agent");
    assertNull(Manifests.parse(configMapData("agent.yaml"), "agent.yaml").path("discovery").get("kubernetes"),
        "the Deployment's agent watches no pods: with this DaemonSet they would be scraped twice");

    assertEquals(c.http().port(), namedPort(agent, "http"));
    for (String probe : List.of("livenessProbe", "readinessProbe")) {
      assertEquals("/healthz", agent.path(probe).path("httpGet").path("path").asText(), probe);
      assertEquals("http", agent.path(probe).path("httpGet").path("port").asText(), probe);
    }
    assertEquals(String.valueOf(c.http().port()),
        daemonSet().path("spec").path("template").path("metadata").path("annotations").path("prometheus.io/port").asText());
    assertEquals(processorConfigOfFirstPod().streams().get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG),
        c.kafka().client().get("bootstrap.servers"), "agents and processors use the same Kafka");
    assertEquals(processorConfigOfFirstPod().topology().profilesTopic(), c.kafka().topic());
  }

  @Test
  void shouldSelectItsOwnPodsAndNotReceiveTheAgentServicesPushes() {
    JsonNode labels = daemonSet().path("spec").path("template").path("metadata").path("labels");
    daemonSet().path("spec").path("selector").path("matchLabels").properties()
        .forEach(e -> assertEquals(e.getValue(), labels.path(e.getKey()), "selector " + e.getKey()));
    JsonNode pushes = object("Service", "leakwatch-agent").path("spec").path("selector");
    assertTrue(pushes.properties().stream().anyMatch(e -> !e.getValue().equals(labels.path(e.getKey()))),
        "the push Service would send to agents with push off");
    assertNotEquals(object("Deployment", "leakwatch-agent").path("spec").path("selector"),
        daemonSet().path("spec").path("selector"));
  }

  /** The agent.yaml the container reads: the one its config volume projects at its --config. */
  private static String nodeAgentYaml(JsonNode agent) {
    List<String> args = Manifests.strings(agent.path("args"));
    assertCliAccepts(args);
    Path config = Path.of(args.get(args.indexOf("--config") + 1));
    assertEquals(mountPath(agent, "config"), config.getParent().toString());
    String configMap = null;
    for (JsonNode v : daemonSet().path("spec").path("template").path("spec").path("volumes")) {
      if (v.path("name").asText().equals("config")) {
        configMap = v.path("configMap").path("name").asText();
        for (JsonNode i : v.path("configMap").path("items")) {
          if (i.path("path").asText().equals(config.getFileName().toString())) {
            String key = i.path("key").asText();
            String name = configMap;
            JsonNode data = daemonSetObjects().stream()
                .filter(o -> o.path("kind").asText().equals("ConfigMap") && o.path("metadata").path("name").asText().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no ConfigMap " + name)).path("data").path(key);
            assertTrue(data.isTextual(), "ConfigMap " + name + " has no " + key);
            return data.asText();
          }
        }
      }
    }
    throw new AssertionError(config + " is not projected from a ConfigMap (" + configMap + ")");
  }
}
