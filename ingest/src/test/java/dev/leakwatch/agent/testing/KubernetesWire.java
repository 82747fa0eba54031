package dev.leakwatch.agent.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * What {@link FakeKubernetes} writes and reads as the API conventions have it: Status bodies,
 * watch event lines, bookmark objects, query parameters and the selectors it honours ({@code
 * labelSelector} equalities, {@code fieldSelector=spec.nodeName=...}).
 */
final class KubernetesWire {
  private static final ObjectMapper JSON = new ObjectMapper();

  private KubernetesWire() {}

  static ObjectNode bookmark(long version) {
    ObjectNode o = JSON.createObjectNode().put("kind", "Pod");
    o.putObject("metadata").put("resourceVersion", Long.toString(version));
    return o;
  }

  static void line(OutputStream out, JsonNode event) throws IOException {
    out.write(JSON.writeValueAsBytes(event));
    out.write('\n');
  }

  static boolean matches(JsonNode pod, String namespace, Map<String, String> q) {
    JsonNode meta = pod.path("metadata");
    if (namespace != null && !namespace.equals(meta.path("namespace").asText())) {
      return false;
    }
    String labels = q.get("labelSelector");
    if (labels != null) {
      for (String term : labels.split(",(?![^(]*\\))")) {
        if (!matchesTerm(meta.path("labels"), term.trim())) {
          return false;
        }
      }
    }
    String fields = q.get("fieldSelector");
    if (fields != null && fields.startsWith("spec.nodeName=")) {
      return fields.substring("spec.nodeName=".length()).equals(pod.path("spec").path("nodeName").asText());
    }
    return true;
  }

  /** One term of a label selector: {@code k=v}, {@code k==v}, {@code k!=v}, {@code k in (a, b)}, {@code !k}, {@code k}. */
  private static boolean matchesTerm(JsonNode labels, String term) {
    if (term.startsWith("!")) {
      return !labels.has(term.substring(1));
    }
    int in = term.indexOf(" in (");
    if (in > 0) {
      String value = labels.path(term.substring(0, in)).asText(null);
      return value != null && java.util.Arrays.stream(term.substring(in + 5, term.length() - 1).split(","))
          .map(String::trim).anyMatch(value::equals);
    }
    int ne = term.indexOf("!=");
    if (ne > 0) {
      return !term.substring(ne + 2).equals(labels.path(term.substring(0, ne)).asText(null));
    }
    String[] kv = term.split("==?", 2);
    return kv.length == 1 ? labels.has(kv[0]) : kv[1].equals(labels.path(kv[0]).asText(null));
  }

  static void status(HttpExchange ex, int code, String reason, String message) throws IOException {
    ObjectNode s = JSON.createObjectNode().put("kind", "Status").put("apiVersion", "v1")
        .put("status", "Failure").put("message", message).put("reason", reason).put("code", code);
    byte[] bytes = JSON.writeValueAsBytes(s);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  static Map<String, String> query(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw == null) {
      return out;
    }
    for (String part : raw.split("&")) {
      String[] kv = part.split("=", 2);
      out.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
          kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
    }
    return out;
  }

  /** The ERROR event a watch from a compacted {@code resourceVersion} gets: Status code 410. */
  static ObjectNode expired(long from) {
    ObjectNode e = JSON.createObjectNode().put("type", "ERROR");
    e.putObject("object").put("kind", "Status").put("code", 410).put("reason", "Expired")
        .put("message", "too old resource version: " + from);
    return e;
  }
}
