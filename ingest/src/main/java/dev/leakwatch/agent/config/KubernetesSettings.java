package dev.leakwatch.agent.config;

import dev.leakwatch.naming.Labels;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;

/**
 * Kubernetes pod discovery, from {@code discovery.kubernetes} (absent: off). The agent lists and
 * watches pods through the API server and scrapes those annotated {@code leakwatch.dev/scrape:
 * "true"} (see {@code discovery.PodTargets} for the annotations).
 *
 * @param apiServer base URL of the API server; default in a pod: {@code
 *     https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT}
 * @param tokenFile bearer token, read again for every request (bound service account tokens
 *     rotate); a missing file sends no token (e.g. through {@code kubectl proxy})
 * @param caFile authorities the API server's certificate is checked against, or null for the JVM's
 *     trust store (the default service account {@code ca.crt} when it exists); read again before
 *     every request, and a changed one is used from then on ({@link #readCa()}, {@link
 *     #tls(PemFile)})
 * @param ca what {@code caFile} held when {@code tls} was built, or null without a file
 * @param tls the context built from {@code ca} at load, or null for the JVM default
 * @param namespaces namespaces to watch, one list/watch each; empty for every namespace
 * @param labelSelector passed to the API as is, or null
 * @param node only pods on this node ({@code spec.nodeName}), or null for every node
 * @param labels our label name to the pod label key copied into the target's labels
 * @param applyDelay how long a burst of pod changes is gathered before the targets are applied
 *     (default 1 s)
 */
public record KubernetesSettings(
    URI apiServer,
    Path tokenFile,
    Path caFile,
    PemFile ca,
    SSLContext tls,
    List<String> namespaces,
    String labelSelector,
    String node,
    Map<String, String> labels,
    Duration applyDelay) {

  /** The configuration path of the section, for messages. */
  static final String SECTION = "discovery.kubernetes";
  static final String SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";
  /** Label names every discovered target carries; the {@code labels} mapping may not use them. */
  public static final Set<String> OWN_LABELS = Set.of("namespace", "node");

  public KubernetesSettings {
    namespaces = List.copyOf(namespaces);
    labels = Map.copyOf(labels);
  }

  /**
   * Parses the section; null when it is absent.
   *
   * @param env environment lookup (the in-cluster address and {@code nodeFromEnv})
   */
  static KubernetesSettings parse(ConfigNode n, Path baseDir, UnaryOperator<String> env) {
    if (!n.isSet()) {
      return null;
    }
    n.rejectUnknownKeys(
        Set.of(
            "apiServer", "tokenFile", "caFile", "namespaces", "labelSelector", "node",
            "nodeFromEnv", "labels", "applyDelay"));
    URI api = apiServer(n, env);
    Path token = baseDir.resolve(n.string("tokenFile", SERVICE_ACCOUNT_DIR + "/token"));
    String ca = n.string("caFile", null);
    Path caFile = ca != null ? baseDir.resolve(ca) : Path.of(SERVICE_ACCOUNT_DIR, "ca.crt");
    if (ca == null && !Files.exists(caFile)) {
      caFile = null; // outside a pod: the JVM's trust store
    }
    PemFile caRead = PemFile.read(caFile);
    SSLContext tls = caRead == null ? null : PemTlsContext.build(n.path(), caRead, null, null);
    List<String> namespaces = n.strings("namespaces", List.of());
    for (int i = 0; i < namespaces.size(); i++) {
      if (namespaces.get(i).isBlank()) {
        throw new ConfigException(n.child("namespaces").path() + "[" + i + "]: empty namespace");
      }
      if (namespaces.subList(0, i).contains(namespaces.get(i))) {
        // each entry is a list and watch of its own: a repeat would watch the same pods twice
        throw new ConfigException(n.child("namespaces").path() + "[" + i + "]: '" + namespaces.get(i)
            + "' is listed twice");
      }
    }
    return new KubernetesSettings(
        api, token, caFile, caRead, tls, namespaces, n.string("labelSelector", null), node(n, env),
        labels(n), n.duration("applyDelay", Duration.ofSeconds(1), Duration.ofMillis(10)));
  }

  /** {@code caFile} as it is now, or null when there is none; may block as long as the file system. */
  public PemFile readCa() {
    return PemFile.read(caFile);
  }

  /**
   * A context trusting the authorities of {@code read} (a {@link #readCa()}).
   *
   * @throws ConfigException naming the key and file, when it cannot be read or holds no certificate
   */
  public SSLContext tls(PemFile read) {
    return PemTlsContext.build(SECTION, read, null, null);
  }

  private static URI apiServer(ConfigNode n, UnaryOperator<String> env) {
    String text = n.string("apiServer", null);
    String where = n.child("apiServer").path();
    if (text == null) {
      String host = env.apply("KUBERNETES_SERVICE_HOST");
      String port = env.apply("KUBERNETES_SERVICE_PORT");
      if (host == null || host.isBlank() || port == null || port.isBlank()) {
        throw new ConfigException(
            where + ": required outside a pod (KUBERNETES_SERVICE_HOST and"
                + " KUBERNETES_SERVICE_PORT are not set)");
      }
      text = "https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
    URI uri;
    try {
      uri = URI.create(text.trim());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(where + ": '" + text + "' is not a URL", e);
    }
    String scheme = uri.getScheme();
    if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null
        || uri.getRawQuery() != null) {
      throw new ConfigException(where + ": '" + text + "' must be an http(s) URL with a host");
    }
    String s = uri.toString();
    return URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
  }

  /** {@code node}, or the value of the environment variable {@code nodeFromEnv} names. */
  private static String node(ConfigNode n, UnaryOperator<String> env) {
    String node = n.string("node", null);
    String var = n.string("nodeFromEnv", null);
    if (node != null && var != null) {
      throw new ConfigException(n.path() + ": set node or nodeFromEnv, not both");
    }
    if (var != null) {
      node = env.apply(var);
      if (node == null || node.isBlank()) {
        throw new ConfigException(
            n.child("nodeFromEnv").path() + ": environment variable " + var + " is not set"
                + " (in a DaemonSet, set it from the Downward API: fieldRef spec.nodeName)");
      }
    }
    if (node != null && node.isBlank()) {
      throw new ConfigException(n.child("node").path() + ": empty");
    }
    return node;
  }

  private static Map<String, String> labels(ConfigNode n) {
    Map<String, String> labels = n.stringMap("labels");
    for (Map.Entry<String, String> e : labels.entrySet()) {
      String where = n.child("labels").path();
      if (OWN_LABELS.contains(e.getKey())) {
        throw new ConfigException(
            where + "." + e.getKey() + ": every discovered target has this label already");
      }
      Labels.problem(e.getKey(), "")
          .ifPresent(
              p -> {
                throw new ConfigException(where + ": " + p);
              });
      if (e.getValue().isBlank()) {
        throw new ConfigException(where + "." + e.getKey() + ": empty pod label key");
      }
    }
    return labels;
  }
}
