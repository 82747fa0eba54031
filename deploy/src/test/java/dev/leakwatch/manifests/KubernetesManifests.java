package dev.leakwatch.manifests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leakwatch.processor.ProcessorConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The objects of deploy/k8s, as the kustomization lists them, and lookups into them. */
final class KubernetesManifests {

  static final Path DIR = Manifests.DEPLOY.resolve("k8s");

  private KubernetesManifests() {}

  /** Every object of every manifest listed by the kustomization. */
  static List<JsonNode> objects() {
    List<JsonNode> out = new ArrayList<>();
    for (String file : Manifests.strings(Manifests.document(DIR.resolve("kustomization.yaml")).path("resources"))) {
      out.addAll(Manifests.documents(DIR.resolve(file)));
    }
    return out;
  }

  /**
   * The overlay adding one agent per node (a DaemonSet) to everything of deploy/k8s; a sibling
   * directory, since kustomize refuses an overlay inside its base.
   */
  static final Path DAEMONSET_DIR = Manifests.DEPLOY.resolve("k8s-agent-daemonset");

  /** The objects the DaemonSet overlay adds: its own manifests, without those of deploy/k8s. */
  static List<JsonNode> daemonSetObjects() {
    List<JsonNode> out = new ArrayList<>();
    for (String file : Manifests.strings(Manifests.document(DAEMONSET_DIR.resolve("kustomization.yaml")).path("resources"))) {
      if (!file.startsWith("..")) {
        out.addAll(Manifests.documents(DAEMONSET_DIR.resolve(file)));
      }
    }
    return out;
  }

  static JsonNode daemonSet() {
    return daemonSetObjects().stream().filter(o -> o.path("kind").asText().equals("DaemonSet")).findFirst()
        .orElseThrow(() -> new AssertionError("no DaemonSet in " + DAEMONSET_DIR));
  }

  static JsonNode object(String kind, String name) {
    return objects().stream().filter(o -> o.path("kind").asText().equals(kind)
            && o.path("metadata").path("name").asText().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
  }

  static JsonNode statefulSet() {
    return object("StatefulSet", "leakwatch-processor");
  }

  static JsonNode container(JsonNode workload, String name) {
    for (JsonNode c : workload.path("spec").path("template").path("spec").path("containers")) {
      if (c.path("name").asText().equals(name)) {
        return c;
      }
    }
    throw new AssertionError("no container " + name);
  }

  static String configMapData(String key) {
    JsonNode v = object("ConfigMap", "leakwatch-config").path("data").path(key);
    assertTrue(v.isTextual(), "ConfigMap leakwatch-config has no " + key);
    return v.asText();
  }

  static String mountPath(JsonNode container, String volume) {
    for (JsonNode m : container.path("volumeMounts")) {
      if (m.path("name").asText().equals(volume)) {
        return m.path("mountPath").asText();
      }
    }
    throw new AssertionError(container.path("name").asText() + " does not mount " + volume);
  }

  static int namedPort(JsonNode container, String name) {
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
  static ProcessorConfig processorConfigOfFirstPod() {
    String yaml = configMapData("processor.yaml");
    String tokensFile = Manifests.parse(yaml, "processor.yaml").path("http").path("tokensFile").asText(null);
    if (tokensFile != null) {
      yaml = yaml.replace(tokensFile, localTokensFile().toString());
    }
    return Manifests.processorConfig(yaml, statefulSet().path("metadata").path("name").asText() + "-0");
  }

  static Path localTokensFile() {
    try {
      Path file = Files.createTempFile("api-tokens", "");
      file.toFile().deleteOnExit();
      return Files.writeString(file, "t0ken\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode podVolume(JsonNode workload, String name) {
    for (JsonNode v : workload.path("spec").path("template").path("spec").path("volumes")) {
      if (v.path("name").asText().equals(name)) {
        return v;
      }
    }
    throw new AssertionError("no volume " + name);
  }

  /** The mount of {@code container} at {@code path}. */
  static JsonNode mount(JsonNode container, String path) {
    for (JsonNode m : container.path("volumeMounts")) {
      if (m.path("mountPath").asText().equals(path)) {
        return m;
      }
    }
    throw new AssertionError(container.path("name").asText() + " mounts nothing at " + path);
  }
}
