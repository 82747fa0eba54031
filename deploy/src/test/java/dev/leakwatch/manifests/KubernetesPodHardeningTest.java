package dev.leakwatch.manifests;

import static dev.leakwatch.manifests.KubernetesManifests.DIR;
import static dev.leakwatch.manifests.KubernetesManifests.configMapData;
import static dev.leakwatch.manifests.KubernetesManifests.container;
import static dev.leakwatch.manifests.KubernetesManifests.daemonSet;
import static dev.leakwatch.manifests.KubernetesManifests.mount;
import static dev.leakwatch.manifests.KubernetesManifests.object;
import static dev.leakwatch.manifests.KubernetesManifests.podVolume;
import static dev.leakwatch.manifests.KubernetesManifests.processorConfigOfFirstPod;
import static dev.leakwatch.manifests.KubernetesManifests.statefulSet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leakwatch.processor.ProcessorConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * deploy/k8s for a production cluster: pod security, the API behind a token, memory requested as
 * used, state volumes mounted without a walk over their files.
 */
class KubernetesPodHardeningTest {

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
    for (JsonNode workload : List.of(statefulSet(), object("Deployment", "leakwatch-agent"),
        object("Deployment", "leakwatch-alerts"), daemonSet())) {
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

  /**
   * The JVM sizes its heap from the memory limit (the image's {@code MaxRAMPercentage=50}) and keeps
   * what it took, and RocksDB's cache fills up to its bound: a Leakwatch container settles near its
   * limit, not its request. A request below the limit lets the scheduler place it where that memory
   * is not there, and under node memory pressure the kubelet evicts first the pods above their
   * request; for a processor that means its tasks move and restore. So memory is requested whole.
   */
  @Test
  void shouldRequestTheMemoryEachJvmWillUse() {
    for (JsonNode workload : List.of(statefulSet(), object("Deployment", "leakwatch-agent"),
        object("Deployment", "leakwatch-alerts"), daemonSet())) {
      for (JsonNode c : workload.path("spec").path("template").path("spec").path("containers")) {
        JsonNode resources = c.path("resources");
        assertEquals(resources.path("limits").path("memory").asText(), resources.path("requests").path("memory").asText(),
            workload.path("metadata").path("name").asText() + "/" + c.path("name").asText() + " memory request");
      }
    }
  }
}
