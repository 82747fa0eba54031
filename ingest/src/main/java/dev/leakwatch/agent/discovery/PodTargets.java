package dev.leakwatch.agent.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.leakwatch.agent.config.ConfigException;
import dev.leakwatch.agent.config.ConfigNode;
import dev.leakwatch.agent.config.TargetParser;
import dev.leakwatch.agent.discovery.PodOutcome.SkipReason;
import dev.leakwatch.agent.model.TargetId;
import dev.leakwatch.naming.Labels;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns a pod (as the API serves it) into a target, following its {@code leakwatch.dev/}
 * annotations (docs/INGEST.md, "Kubernetes discovery", has the table):
 *
 * <ul>
 *   <li>only pods with {@code leakwatch.dev/scrape: "true"}, and only while {@code Running} with a
 *       {@code podIP} and not terminating (no {@code deletionTimestamp}); otherwise {@link
 *       PodOutcome#WAITING};
 *   <li>port: {@code leakwatch.dev/port}, else the container port named {@code pprof};
 *   <li>{@code leakwatch.dev/scheme}, {@code leakwatch.dev/path}, {@code leakwatch.dev/profiles},
 *       {@code leakwatch.dev/interval} as a target entry's url scheme, path, profiles, interval;
 *   <li>service: {@code leakwatch.dev/service}, else {@code <namespace>.<workload>} (label {@code
 *       app.kubernetes.io/name}, label {@code app}, the controller's name with a ReplicaSet's
 *       {@code pod-template-hash} suffix removed, or the pod name); instance: the pod name;
 *   <li>labels {@code namespace}, {@code node} and the configured mapping;
 *   <li>memory limit: {@code leakwatch.dev/memory-limit}, else the limit of the container serving
 *       the port.
 * </ul>
 *
 * The entry is then checked by the same {@link TargetParser} as configured targets, so a pod's
 * target obeys the same rules. Stateless apart from its settings; thread-safe.
 */
final class PodTargets {
  static final String PREFIX = "leakwatch.dev/";
  private static final String PPROF_PORT = "pprof";

  private final TargetParser parser;
  private final Map<String, String> labelMapping;

  /**
   * @param labelMapping our label name to the pod label key copied into the target's labels
   */
  PodTargets(TargetParser parser, Map<String, String> labelMapping) {
    this.parser = parser;
    this.labelMapping = Map.copyOf(labelMapping);
  }

  /** The outcome for {@code pod}, or null when the pod has not opted in (nothing is kept). */
  PodOutcome outcome(JsonNode pod) {
    JsonNode meta = pod.path("metadata");
    JsonNode ann = meta.path("annotations");
    if (!"true".equals(ann.path(PREFIX + "scrape").asText())) {
      return null;
    }
    String namespace = meta.path("namespace").asText();
    String name = meta.path("name").asText();
    String where = "pod " + namespace + "/" + name;
    String podIp = pod.path("status").path("podIP").asText("");
    if (!"Running".equals(pod.path("status").path("phase").asText()) || podIp.isEmpty()
        || meta.hasNonNull("deletionTimestamp")) {
      // a terminating pod is shutting down: its scrapes would fail or profile the shutdown
      return PodOutcome.WAITING;
    }
    JsonNode containers = pod.path("spec").path("containers");
    String portText = ann.path(PREFIX + "port").asText(null);
    int port;
    JsonNode serving;
    if (portText != null) {
      try {
        port = Integer.parseInt(portText.trim());
      } catch (NumberFormatException e) {
        return PodOutcome.skipped(SkipReason.BAD_ANNOTATION,
            where + ": " + PREFIX + "port '" + portText + "' is not a port number");
      }
      if (port < 1 || port > 65535) {
        return PodOutcome.skipped(SkipReason.BAD_ANNOTATION,
            where + ": " + PREFIX + "port " + port + " is not 1 to 65535");
      }
      int annotated = port;
      serving = containerWith(containers, p -> p.path("containerPort").asInt() == annotated);
    } else {
      serving = containerWith(containers, p -> PPROF_PORT.equals(p.path("name").asText()));
      if (serving == null) {
        return PodOutcome.skipped(SkipReason.NO_PORT,
            where + ": no " + PREFIX + "port annotation and no container port named " + PPROF_PORT);
      }
      port = portNamed(serving, PPROF_PORT);
    }
    if (serving == null && containers.size() == 1) {
      serving = containers.get(0);
    }
    String scheme = ann.path(PREFIX + "scheme").asText("http");
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return PodOutcome.skipped(SkipReason.BAD_ANNOTATION,
          where + ": " + PREFIX + "scheme '" + scheme + "' is not http or https");
    }
    String path = ann.path(PREFIX + "path").asText("/debug/pprof");
    if (!path.startsWith("/")) {
      return PodOutcome.skipped(SkipReason.BAD_ANNOTATION,
          where + ": " + PREFIX + "path '" + path + "' does not start with /");
    }
    String service = ann.path(PREFIX + "service").asText(null);
    if (service == null) {
      service = namespace + "." + workload(meta);
    }
    var nameProblem = TargetId.problem(service, name);
    if (nameProblem.isPresent()) {
      return PodOutcome.skipped(SkipReason.BAD_NAME, where + ": " + nameProblem.get());
    }
    Map<String, String> labels = labels(namespace, pod, meta.path("labels"));
    var labelProblem = Labels.problem(labels);
    if (labelProblem.isPresent()) {
      return PodOutcome.skipped(SkipReason.BAD_LABEL, where + ": " + labelProblem.get());
    }
    String limitText = ann.path(PREFIX + "memory-limit").asText(null);
    String limitSource = PREFIX + "memory-limit";
    if (limitText == null && serving != null) {
      limitText = serving.path("resources").path("limits").path("memory").asText(null);
      limitSource = "resources.limits.memory of container " + serving.path("name").asText();
    }
    Long limit = null;
    if (limitText != null) {
      KubernetesQuantity.Result q = KubernetesQuantity.bytes(limitText);
      if (q.problem() != null) {
        return PodOutcome.skipped(
            SkipReason.BAD_MEMORY_LIMIT, where + ": " + limitSource + ": " + q.problem());
      }
      limit = q.bytes();
    }
    ObjectNode entry = JsonNodeFactory.instance.objectNode();
    entry.put("service", service);
    entry.put("instance", name);
    String host = podIp.contains(":") ? "[" + podIp + "]" : podIp;
    entry.put("url", scheme + "://" + host + ":" + port + path);
    String profiles = ann.path(PREFIX + "profiles").asText(null);
    if (profiles != null) {
      var list = entry.putArray("profiles");
      for (String p : profiles.split(",")) {
        list.add(p.trim());
      }
    }
    String interval = ann.path(PREFIX + "interval").asText(null);
    if (interval != null) {
      entry.put("interval", interval);
    }
    if (limit != null) {
      entry.put("memoryLimit", Long.toString(limit));
    }
    entry.set("labels", JsonNodeFactory.instance.objectNode().setAll(toNodes(labels)));
    try {
      return PodOutcome.target(parser.parseEntry(new ConfigNode(entry, where)).get(0));
    } catch (ConfigException e) {
      // the entry's keys (profiles, interval) are named after the annotations they came from
      String m = e.getMessage();
      return PodOutcome.skipped(SkipReason.BAD_ANNOTATION,
          m.startsWith(where + ".") ? where + ": " + PREFIX + m.substring(where.length() + 1) : m);
    }
  }

  /**
   * The workload a pod belongs to: label {@code app.kubernetes.io/name}, label {@code app}, the
   * controlling owner (a ReplicaSet named after its Deployment plus the pod template hash stands
   * for the Deployment), or the pod's own name.
   */
  static String workload(JsonNode meta) {
    JsonNode labels = meta.path("labels");
    for (String key : new String[] {"app.kubernetes.io/name", "app"}) {
      String v = labels.path(key).asText("");
      if (!v.isEmpty()) {
        return v;
      }
    }
    for (JsonNode owner : meta.path("ownerReferences")) {
      if (!owner.path("controller").asBoolean(false)) {
        continue;
      }
      String ownerName = owner.path("name").asText("");
      String hash = labels.path("pod-template-hash").asText("");
      if (owner.path("kind").asText().equals("ReplicaSet")
          && !hash.isEmpty() && ownerName.endsWith("-" + hash)) {
        return ownerName.substring(0, ownerName.length() - hash.length() - 1);
      }
      if (!ownerName.isEmpty()) {
        return ownerName;
      }
    }
    return meta.path("name").asText();
  }

  private Map<String, String> labels(String namespace, JsonNode pod, JsonNode podLabels) {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("namespace", namespace);
    out.put("node", pod.path("spec").path("nodeName").asText(""));
    labelMapping.forEach(
        (ours, key) -> {
          JsonNode v = podLabels.get(key);
          if (v != null && v.isTextual()) {
            out.put(ours, v.asText());
          }
        });
    return out;
  }

  private static Map<String, JsonNode> toNodes(Map<String, String> labels) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    labels.forEach((k, v) -> out.put(k, JsonNodeFactory.instance.textNode(v)));
    return out;
  }

  private static JsonNode containerWith(
      JsonNode containers, java.util.function.Predicate<JsonNode> port) {
    for (JsonNode c : containers) {
      for (JsonNode p : c.path("ports")) {
        if (port.test(p)) {
          return c;
        }
      }
    }
    return null;
  }

  private static int portNamed(JsonNode container, String name) {
    for (JsonNode p : container.path("ports")) {
      if (name.equals(p.path("name").asText())) {
        return p.path("containerPort").asInt();
      }
    }
    throw new IllegalStateException("no port " + name);
  }
}
