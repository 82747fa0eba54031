package dev.leakwatch.agent.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Pods as the Kubernetes API serves them, reduced to the fields discovery reads: a running pod
 * with an IP and one container {@code app}, changed fluently. Each call returns this builder.
 */
public final class TestPods {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private final ObjectNode pod = F.objectNode();

  private TestPods(String namespace, String name) {
    ObjectNode meta = pod.putObject("metadata");
    meta.put("namespace", namespace);
    meta.put("name", name);
    meta.putObject("labels");
    meta.putObject("annotations");
    ObjectNode spec = pod.putObject("spec");
    spec.put("nodeName", "node-1");
    ObjectNode c = spec.putArray("containers").addObject();
    c.put("name", "app");
    c.putArray("ports");
    ObjectNode status = pod.putObject("status");
    status.put("phase", "Running");
    status.put("podIP", "10.0.0.1");
  }

  /** A running pod {@code namespace/name} at 10.0.0.1 on node-1, one container, no annotations. */
  public static TestPods pod(String namespace, String name) {
    return new TestPods(namespace, name);
  }

  /** As {@link #pod}, opted in ({@code leakwatch.dev/scrape: "true"}) on annotated port 6060. */
  public static TestPods scraped(String namespace, String name) {
    return pod(namespace, name).annotate("scrape", "true").annotate("port", "6060");
  }

  /** Sets annotation {@code leakwatch.dev/<key>} (or a full key containing {@code /}). */
  public TestPods annotate(String key, String value) {
    ((ObjectNode) pod.path("metadata").path("annotations"))
        .put(key.contains("/") ? key : "leakwatch.dev/" + key, value);
    return this;
  }

  public TestPods withoutAnnotation(String key) {
    ((ObjectNode) pod.path("metadata").path("annotations")).remove("leakwatch.dev/" + key);
    return this;
  }

  public TestPods label(String key, String value) {
    ((ObjectNode) pod.path("metadata").path("labels")).put(key, value);
    return this;
  }

  public TestPods owner(String kind, String name) {
    ObjectNode o = ((ObjectNode) pod.path("metadata")).putArray("ownerReferences").addObject();
    o.put("kind", kind);
    o.put("name", name);
    o.put("controller", true);
    return this;
  }

  public TestPods ip(String ip) {
    ((ObjectNode) pod.path("status")).put("podIP", ip);
    return this;
  }

  public TestPods phase(String phase) {
    ((ObjectNode) pod.path("status")).put("phase", phase);
    return this;
  }

  /** Marks the pod as being deleted ({@code metadata.deletionTimestamp}), as a graceful delete does. */
  public TestPods terminating() {
    ((ObjectNode) pod.path("metadata")).put("deletionTimestamp", "2026-01-01T00:00:00Z");
    return this;
  }

  public TestPods node(String node) {
    ((ObjectNode) pod.path("spec")).put("nodeName", node);
    return this;
  }

  /** Adds a port to container {@code index} (0 is {@code app}). */
  public TestPods port(int index, String name, int port) {
    ObjectNode p = ((ArrayNode) container(index).path("ports")).addObject();
    p.put("name", name);
    p.put("containerPort", port);
    return this;
  }

  /** Sets {@code resources.limits.memory} of container {@code index}. */
  public TestPods memoryLimit(int index, String quantity) {
    container(index).putObject("resources").putObject("limits").put("memory", quantity);
    return this;
  }

  /** Adds a container named {@code name} without ports. */
  public TestPods container(String name) {
    ObjectNode c = ((ArrayNode) pod.path("spec").path("containers")).addObject();
    c.put("name", name);
    c.putArray("ports");
    return this;
  }

  public ObjectNode build() {
    return pod.deepCopy();
  }

  private ObjectNode container(int index) {
    return (ObjectNode) pod.path("spec").path("containers").get(index);
  }
}
