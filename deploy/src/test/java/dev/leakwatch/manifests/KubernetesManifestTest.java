package dev.leakwatch.manifests;

import static dev.leakwatch.manifests.KubernetesManifests.DIR;
import static dev.leakwatch.manifests.KubernetesManifests.configMapData;
import static dev.leakwatch.manifests.KubernetesManifests.container;
import static dev.leakwatch.manifests.KubernetesManifests.mountPath;
import static dev.leakwatch.manifests.KubernetesManifests.namedPort;
import static dev.leakwatch.manifests.KubernetesManifests.object;
import static dev.leakwatch.manifests.KubernetesManifests.objects;
import static dev.leakwatch.manifests.KubernetesManifests.processorConfigOfFirstPod;
import static dev.leakwatch.manifests.KubernetesManifests.statefulSet;
import static dev.leakwatch.manifests.Manifests.assertCliAccepts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.leakwatch.agent.config.AgentConfig;
import dev.leakwatch.processor.ProcessorConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** deploy/k8s: every manifest parses, and names, ports, paths and configuration keys agree. */
class KubernetesManifestTest {

  @TempDir Path tmp;

  @Test
  void shouldListEveryManifestInTheKustomizationAndParseThemAll() throws IOException {
    Set<String> files = new TreeSet<>();
    try (Stream<Path> s = Files.list(DIR)) {
      s.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".yaml") && !f.equals("kustomization.yaml"))
          .forEach(files::add);
    }
    assertEquals(files, new TreeSet<>(Manifests.strings(Manifests.document(DIR.resolve("kustomization.yaml"))
        .path("resources"))));
    for (JsonNode o : objects()) {
      assertFalse(o.path("apiVersion").asText().isEmpty(), o.toString());
      assertFalse(o.path("metadata").path("name").asText().isEmpty(), o.toString());
    }
  }

  @Test
  void shouldLetOnlyTheAgentsServiceAccountReadPodsForDiscovery() {
    JsonNode pod = object("Deployment", "leakwatch-agent").path("spec").path("template").path("spec");
    String account = pod.path("serviceAccountName").asText();
    JsonNode binding = object("ClusterRoleBinding", "leakwatch-agent-pods");
    assertEquals(Manifests.document(DIR.resolve("kustomization.yaml")).path("namespace").asText(),
        binding.path("subjects").get(0).path("namespace").asText());
    assertEquals(account, binding.path("subjects").get(0).path("name").asText());
    assertFalse(object("ServiceAccount", account).isMissingNode());
    JsonNode role = object("ClusterRole", binding.path("roleRef").path("name").asText());
    assertEquals(1, role.path("rules").size());
    assertEquals(List.of("pods"), Manifests.strings(role.path("rules").get(0).path("resources")));
    assertEquals(List.of("get", "list", "watch"), Manifests.strings(role.path("rules").get(0).path("verbs")));
  }

  @Test
  void shouldSelectTheirPodsByLabelsThePodsCarry() {
    Map<String, JsonNode> podLabels = Map.of(
        "processor", statefulSet().path("spec").path("template").path("metadata").path("labels"),
        "agent", object("Deployment", "leakwatch-agent").path("spec").path("template").path("metadata").path("labels"),
        "alerts", object("Deployment", "leakwatch-alerts").path("spec").path("template").path("metadata").path("labels"));
    for (JsonNode o : objects()) {
      JsonNode selector = switch (o.path("kind").asText()) {
        case "Service" -> o.path("spec").path("selector");
        case "StatefulSet", "Deployment", "PodDisruptionBudget" -> o.path("spec").path("selector").path("matchLabels");
        default -> null;
      };
      if (selector == null) {
        continue;
      }
      JsonNode labels = podLabels.get(selector.path("app.kubernetes.io/component").asText());
      assertTrue(labels != null, o.path("metadata").path("name") + " selects no known pods");
      selector.properties().forEach(e -> assertEquals(e.getValue(), labels.path(e.getKey()),
          o.path("metadata").path("name") + " selector " + e.getKey()));
    }
  }

  @Test
  void shouldAdvertiseEachProcessorPodByItsNameUnderTheHeadlessService() {
    JsonNode sts = statefulSet();
    JsonNode headless = object("Service", sts.path("spec").path("serviceName").asText());
    assertEquals("None", headless.path("spec").path("clusterIP").asText(), "the StatefulSet's service is headless");
    assertTrue(headless.path("spec").path("publishNotReadyAddresses").asBoolean(), "restoring pods stay resolvable");
    ProcessorConfig c = processorConfigOfFirstPod();
    String pod = sts.path("metadata").path("name").asText() + "-0";
    assertEquals(pod + "." + headless.path("metadata").path("name").asText() + ":" + c.http().port(),
        Manifests.applicationServer(c));
    JsonNode init = sts.path("spec").path("template").path("spec").path("initContainers").get(0);
    String render = String.join(" ", Manifests.strings(init.path("command")));
    assertTrue(render.contains("s/" + Manifests.POD_NAME + "/${POD_NAME}/g"), render);
    assertEquals("metadata.name", init.path("env").get(0).path("valueFrom").path("fieldRef").path("fieldPath").asText());
    JsonNode processor = container(sts, "processor");
    assertTrue(render.endsWith("> " + mountPath(init, "config") + "/processor.yaml"), render);
    assertEquals(mountPath(init, "config"), mountPath(processor, "config"), "rendered where the processor reads");
  }

  @Test
  void shouldServeTheApiProbesAndServicesOnTheConfiguredPort() {
    ProcessorConfig c = processorConfigOfFirstPod();
    JsonNode processor = container(statefulSet(), "processor");
    assertEquals(c.http().port(), namedPort(processor, "http"));
    assertEquals("/readyz", processor.path("readinessProbe").path("httpGet").path("path").asText());
    assertEquals("/healthz", processor.path("livenessProbe").path("httpGet").path("path").asText());
    for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
      assertEquals("http", processor.path(probe).path("httpGet").path("port").asText(), probe);
    }
    for (String svc : List.of("leakwatch-processor", "leakwatch-processor-headless")) {
      JsonNode port = object("Service", svc).path("spec").path("ports").get(0);
      assertEquals(c.http().port(), port.path("port").asInt(), svc);
      assertEquals("http", port.path("targetPort").asText(), svc);
    }
    assertEquals(String.valueOf(c.http().port()),
        statefulSet().path("spec").path("template").path("metadata").path("annotations").path("prometheus.io/port").asText());
  }

  @Test
  void shouldKeepProcessorStateOnThePersistentVolume() {
    JsonNode sts = statefulSet();
    String claim = sts.path("spec").path("volumeClaimTemplates").get(0).path("metadata").path("name").asText();
    String mount = mountPath(container(sts, "processor"), claim);
    String stateDir = processorConfigOfFirstPod().streams().getProperty(StreamsConfig.STATE_DIR_CONFIG);
    assertTrue(stateDir.startsWith(mount + "/"), stateDir + " is not under the volume at " + mount);
    assertTrue(Manifests.read(Manifests.DEPLOY.resolve("Dockerfile")).contains("--home-dir " + mount),
        "the image's user owns the mount point");
  }

  @Test
  void shouldRunCommandsTheCliAcceptsWithConfigsTheReadersAccept() throws IOException {
    JsonNode processor = container(statefulSet(), "processor");
    List<String> args = Manifests.strings(processor.path("args"));
    assertCliAccepts(args);
    assertEquals(mountPath(processor, "config") + "/processor.yaml", args.get(args.indexOf("--config") + 1));

    JsonNode agentDeployment = object("Deployment", "leakwatch-agent");
    JsonNode agent = container(agentDeployment, "agent");
    List<String> agentArgs = Manifests.strings(agent.path("args"));
    assertCliAccepts(agentArgs);
    Path configPath = Path.of(agentArgs.get(agentArgs.indexOf("--config") + 1));
    assertEquals(mountPath(agent, "config"), configPath.getParent().toString());
    Set<String> projected = new TreeSet<>();
    for (JsonNode v : agentDeployment.path("spec").path("template").path("spec").path("volumes")) {
      if (v.path("name").asText().equals("config")) {
        v.path("configMap").path("items").forEach(i -> {
          configMapData(i.path("key").asText());
          projected.add(i.path("path").asText());
        });
      }
    }
    assertTrue(projected.contains(configPath.getFileName().toString()), projected.toString());

    ObjectNode tree = (ObjectNode) Manifests.parse(configMapData("agent.yaml"), "agent.yaml");
    for (String f : Manifests.strings(tree.path("discovery").path("files"))) {
      assertTrue(projected.contains(f), "discovery file " + f + " is projected next to agent.yaml");
    }
    Path tokensFile = Path.of(tree.path("push").path("tokensFile").asText());
    assertEquals(mountPath(agent, "push-tokens"), tokensFile.getParent().toString());
    Path localTokens = Files.writeString(tmp.resolve("push-tokens"), "t0ken\n");
    ((ObjectNode) tree.path("push")).put("tokensFile", localTokens.toString());
    AgentConfig c = Manifests.agentConfig(tree, Manifests.parse(configMapData("targets.yaml"), "targets.yaml"), tmp);
    assertEquals(c.http().port(), namedPort(agent, "http"));
    assertEquals(c.http().port(), object("Service", "leakwatch-agent").path("spec").path("ports").get(0).path("port").asInt());
    assertEquals(processorConfigOfFirstPod().streams().get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG),
        c.kafka().client().get("bootstrap.servers"), "agent and processor use the same Kafka");
    assertEquals(processorConfigOfFirstPod().topology().profilesTopic(), c.kafka().topic());
  }

  @Test
  void shouldPointTheAlertBridgeAtTheProcessorsServiceWithTheFirstOfTheirTokens() {
    JsonNode deployment = object("Deployment", "leakwatch-alerts");
    JsonNode alerts = container(deployment, "alerts");
    List<String> args = Manifests.strings(alerts.path("args"));
    assertCliAccepts(args);
    assertEquals("alerts", args.get(0));
    URI api = URI.create(args.get(args.indexOf("--api") + 1));
    JsonNode service = object("Service", api.getHost());
    assertEquals(service.path("spec").path("ports").get(0).path("port").asInt(), api.getPort(), api.toString());
    Path tokenFile = Path.of(args.get(args.indexOf("--token-file") + 1));
    assertEquals(mountPath(alerts, "api-tokens"), tokenFile.getParent().toString());
    String processorTokens = Manifests.parse(configMapData("processor.yaml"), "processor.yaml").path("http")
        .path("tokensFile").asText();
    assertEquals(Path.of(processorTokens).getFileName(), tokenFile.getFileName(), "the processors' tokens file");
    assertEquals(secretOf(statefulSet(), "api-tokens"), secretOf(deployment, "api-tokens"));
    int metrics = Integer.parseInt(args.get(args.indexOf("--metrics-port") + 1));
    assertEquals(metrics, namedPort(alerts, "metrics"));
    assertEquals(Integer.toString(metrics), deployment.path("spec").path("template").path("metadata").path("annotations")
        .path("prometheus.io/port").asText(), "Prometheus scrapes the bridge's metrics port");
  }

  private static String secretOf(JsonNode workload, String volume) {
    for (JsonNode v : workload.path("spec").path("template").path("spec").path("volumes")) {
      if (v.path("name").asText().equals(volume)) {
        return v.path("secret").path("secretName").asText();
      }
    }
    throw new AssertionError(workload.path("metadata").path("name").asText() + " has no volume " + volume);
  }

  @Test
  void shouldBoundEveryContainersResourcesAndUseTheKustomizedImage() {
    String image = Manifests.document(DIR.resolve("kustomization.yaml")).path("images").get(0).path("name").asText();
    List<JsonNode> all = new java.util.ArrayList<>(objects());
    all.addAll(KubernetesManifests.daemonSetObjects());
    for (JsonNode o : all) {
      JsonNode pod = o.path("spec").path("template").path("spec");
      for (String group : List.of("containers", "initContainers")) {
        for (JsonNode c : pod.path(group)) {
          for (String kind : List.of("requests", "limits")) {
            for (String res : List.of("cpu", "memory")) {
              assertFalse(c.path("resources").path(kind).path(res).asText().isEmpty(),
                  c.path("name") + " has no " + kind + "." + res);
            }
          }
          assertEquals(image, c.path("image").asText(), "the image the kustomization sets the tag of");
        }
      }
    }
  }
}
