package dev.leakwatch.manifests;

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

/** deploy/k8s: every manifest parses, and names, ports, paths and configuration keys agree. */
class KubernetesManifestTest {

  private static final Path DIR = Manifests.DEPLOY.resolve("k8s");

  @TempDir Path tmp;

  /** Every object of every manifest listed by the kustomization. */
  private static List<JsonNode> objects() {
    List<JsonNode> out = new ArrayList<>();
    for (String file : Manifests.strings(Manifests.document(DIR.resolve("kustomization.yaml")).path("resources"))) {
      out.addAll(Manifests.documents(DIR.resolve(file)));
    }
    return out;
  }

  private static JsonNode object(String kind, String name) {
    return objects().stream().filter(o -> o.path("kind").asText().equals(kind)
            && o.path("metadata").path("name").asText().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
  }

  private static JsonNode statefulSet() {
    return object("StatefulSet", "leakwatch-processor");
  }

  private static JsonNode container(JsonNode workload, String name) {
    for (JsonNode c : workload.path("spec").path("template").path("spec").path("containers")) {
      if (c.path("name").asText().equals(name)) {
        return c;
      }
    }
    throw new AssertionError("no container " + name);
  }

  private static String configMapData(String key) {
    JsonNode v = object("ConfigMap", "leakwatch-config").path("data").path(key);
    assertTrue(v.isTextual(), "ConfigMap leakwatch-config has no " + key);
    return v.asText();
  }

  private static String mountPath(JsonNode container, String volume) {
    for (JsonNode m : container.path("volumeMounts")) {
      if (m.path("name").asText().equals(volume)) {
        return m.path("mountPath").asText();
      }
    }
    throw new AssertionError(container.path("name").asText() + " does not mount " + volume);
  }

  private static int namedPort(JsonNode container, String name) {
    for (JsonNode p : container.path("ports")) {
      if (p.path("name").asText().equals(name)) {
        return p.path("containerPort").asInt();
      }
    }
    throw new AssertionError("no port named " + name);
  }

  /**
   * The rendered processor configuration of pod {@code <statefulset>-0}, its {@code http.tokensFile}
   * (a Secret's mount in the pod) replaced by a local file holding one token.
   */
  private static ProcessorConfig processorConfigOfFirstPod() {
    String yaml = configMapData("processor.yaml");
    String tokensFile = Manifests.parse(yaml, "processor.yaml").path("http").path("tokensFile").asText(null);
    if (tokensFile != null) {
      yaml = yaml.replace(tokensFile, localTokensFile().toString());
    }
    return Manifests.processorConfig(yaml, statefulSet().path("metadata").path("name").asText() + "-0");
  }

  private static Path localTokensFile() {
    try {
      Path file = Files.createTempFile("api-tokens", "");
      file.toFile().deleteOnExit();
      return Files.writeString(file, "t0ken\n");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static JsonNode podVolume(JsonNode workload, String name) {
    for (JsonNode v : workload.path("spec").path("template").path("spec").path("volumes")) {
      if (v.path("name").asText().equals(name)) {
        return v;
      }
    }
    throw new AssertionError("no volume " + name);
  }

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
  void shouldSelectTheirPodsByLabelsThePodsCarry() {
    Map<String, JsonNode> podLabels = Map.of(
        "processor", statefulSet().path("spec").path("template").path("metadata").path("labels"),
        "agent", object("Deployment", "leakwatch-agent").path("spec").path("template").path("metadata").path("labels"));
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

  /**
   * The processors listen on every interface of their pod, and the Service makes the query API
   * (every service's stacks and merged profiles) reachable from any pod of the cluster: it must ask
   * for a token, read from a Secret mounted where {@code http.tokensFile} points. The probes
   * ({@code /healthz}, {@code /readyz}) and {@code /metrics} stay open to the kubelet and Prometheus.
   */
  @Test
  void shouldRequireATokenFromASecretForTheQueryApi() {
    ProcessorConfig c = processorConfigOfFirstPod();
    assertFalse(c.http().tokens().isEmpty(), "the API on " + c.http().host() + " answers anyone in the cluster");
    assertFalse(c.http().metricsRequireToken(), "Prometheus scrapes /metrics without a token");
    Path tokensFile = Path.of(Manifests.parse(configMapData("processor.yaml"), "processor.yaml")
        .path("http").path("tokensFile").asText());
    JsonNode processor = container(statefulSet(), "processor");
    String volume = null;
    for (JsonNode m : processor.path("volumeMounts")) {
      if (Path.of(m.path("mountPath").asText()).equals(tokensFile.getParent())) {
        volume = m.path("name").asText();
      }
    }
    assertTrue(volume != null, "nothing is mounted at " + tokensFile.getParent());
    JsonNode secret = podVolume(statefulSet(), volume).path("secret");
    assertEquals("leakwatch-api-tokens", secret.path("secretName").asText());
    assertTrue(secret.path("items").isMissingNode(), "every key of the Secret is a file, " + tokensFile.getFileName()
        + " too");
    assertTrue(Manifests.read(Manifests.DEPLOY.resolveSibling("docs").resolve("OPERATIONS.md"))
        .contains("create secret generic leakwatch-api-tokens --from-file=" + tokensFile.getFileName()),
        "OPERATIONS.md says how to create the Secret");
  }

  /**
   * With {@code fsGroup} alone, the kubelet changes the group and mode of every file on the state
   * volume at each mount: a pod restart over thousands of SST files waits for that before the JVM
   * starts. The files are the processor's own, written with that group, so only a volume whose root
   * does not match yet (a new one) needs the walk.
   */
  @Test
  void shouldNotWalkTheStateVolumeAtEveryPodStart() {
    JsonNode security = statefulSet().path("spec").path("template").path("spec").path("securityContext");
    assertFalse(security.path("fsGroup").isMissingNode(), "the state volume is made writable through fsGroup");
    assertEquals("OnRootMismatch", security.path("fsGroupChangePolicy").asText());
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

  /**
   * The namespace enforces the "restricted" Pod Security Standard, so every pod must meet it (a pod
   * that does not is refused, not started), and containers run with a read-only root filesystem.
   * The JVM still needs a writable {@code java.io.tmpdir} ({@code /tmp} in the image): RocksDB's JNI
   * library and the agent's zstd compression extract native libraries there at start, so each
   * Leakwatch container gets an emptyDir at {@code /tmp}.
   */
  @Test
  void shouldMeetTheRestrictedPodSecurityStandardWithOnlyVolumesWritable() {
    JsonNode namespace = object("Namespace", Manifests.document(DIR.resolve("kustomization.yaml")).path("namespace").asText());
    assertEquals("restricted", namespace.path("metadata").path("labels").path("pod-security.kubernetes.io/enforce").asText());
    for (JsonNode workload : List.of(statefulSet(), object("Deployment", "leakwatch-agent"))) {
      JsonNode pod = workload.path("spec").path("template").path("spec");
      String name = workload.path("metadata").path("name").asText();
      assertTrue(pod.path("securityContext").path("runAsNonRoot").asBoolean(), name);
      assertEquals("RuntimeDefault", pod.path("securityContext").path("seccompProfile").path("type").asText(), name);
      Set<String> emptyDirs = new TreeSet<>();
      pod.path("volumes").forEach(v -> {
        if (v.has("emptyDir")) {
          emptyDirs.add(v.path("name").asText());
        }
      });
      for (String group : List.of("containers", "initContainers")) {
        for (JsonNode c : pod.path(group)) {
          String where = name + "/" + c.path("name").asText();
          JsonNode sc = c.path("securityContext");
          assertFalse(sc.path("allowPrivilegeEscalation").asBoolean(true), where + ": allowPrivilegeEscalation");
          assertEquals(List.of("ALL"), Manifests.strings(sc.path("capabilities").path("drop")), where);
          assertTrue(sc.path("capabilities").path("add").isMissingNode(), where + " adds capabilities");
          assertTrue(sc.path("readOnlyRootFilesystem").asBoolean(), where + ": readOnlyRootFilesystem");
          if (group.equals("containers")) {
            JsonNode tmp = mount(c, "/tmp");
            assertTrue(emptyDirs.contains(tmp.path("name").asText()), where + ": /tmp is not an emptyDir");
            assertFalse(tmp.path("readOnly").asBoolean(), where + ": /tmp is read-only");
          }
        }
      }
    }
  }

  private static JsonNode mount(JsonNode container, String path) {
    for (JsonNode m : container.path("volumeMounts")) {
      if (m.path("mountPath").asText().equals(path)) {
        return m;
      }
    }
    throw new AssertionError(container.path("name").asText() + " mounts nothing at " + path);
  }

  /**
   * The JVM sizes its heap from the memory limit (the image's {@code MaxRAMPercentage=50}) and keeps
   * what it took, and RocksDB's cache fills up to its bound: a Leakwatch container settles near its
   * limit, not its request. A request below the limit lets the scheduler place it where that memory
   * is not there, and under node memory pressure the kubelet evicts first the pods above their
   * request; for a processor that means its tasks move and restore. So memory is requested whole.
   */
  @Test
  void shouldRequestTheMemoryEachJvmWillUse() {
    for (JsonNode workload : List.of(statefulSet(), object("Deployment", "leakwatch-agent"))) {
      for (JsonNode c : workload.path("spec").path("template").path("spec").path("containers")) {
        JsonNode resources = c.path("resources");
        assertEquals(resources.path("limits").path("memory").asText(), resources.path("requests").path("memory").asText(),
            workload.path("metadata").path("name").asText() + "/" + c.path("name").asText() + " memory request");
      }
    }
  }

  @Test
  void shouldBoundEveryContainersResourcesAndUseTheKustomizedImage() {
    String image = Manifests.document(DIR.resolve("kustomization.yaml")).path("images").get(0).path("name").asText();
    for (JsonNode o : objects()) {
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
