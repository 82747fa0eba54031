package dev.leakwatch.processor;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.leakwatch.detect.DetectionPolicy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The YAML tree of {@code processor.yaml}: reading it (a key given twice is an error), and the split a
 * running processor makes between its judging settings, which it re-reads ({@link RulesWatch}), and the
 * rest, which it reads at start only.
 *
 * <p>The judging settings are the keys under {@code detection} that a per-service rule may set ({@link
 * DetectionPolicy#PER_SERVICE_FIELDS}) and {@code detection.services}.
 */
final class YamlTree {

  private YamlTree() {}

  /** The keys under {@code detection} that are judging settings. */
  static final Set<String> JUDGING_KEYS;

  static {
    Set<String> keys = new TreeSet<>(DetectionPolicy.PER_SERVICE_FIELDS);
    keys.add(DetectionRulesReader.KEY);
    JUDGING_KEYS = Set.copyOf(keys);
  }

  /** The tree of {@code yaml}; a {@link ConfigError} when it is not YAML or gives a key twice. */
  static JsonNode read(String yaml) {
    try {
      // a key given twice would silently replace the first (a whole section, for a section): refused
      return new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .readTree(yaml);
    } catch (JsonProcessingException e) {
      throw yamlError(e);
    }
  }

  /** The error of unparsable YAML; a duplicate key is named by its path, e.g. {@code http.port}. */
  private static ConfigError yamlError(JsonProcessingException e) {
    if (!e.getOriginalMessage().startsWith("Duplicate field") || !(e.getProcessor() instanceof JsonParser parser)) {
      return new ConfigError("(yaml)", e.getOriginalMessage());
    }
    // a list item is named by its index, as the readers name it: detection.services[1].match
    Deque<String> segments = new ArrayDeque<>();
    for (JsonStreamContext c = parser.getParsingContext(); c != null; c = c.getParent()) {
      if (c.inObject() && c.getCurrentName() != null) {
        segments.addFirst(c.getCurrentName());
      } else if (c.inArray()) {
        segments.addFirst("[" + c.getCurrentIndex() + "]");
      }
    }
    StringBuilder path = new StringBuilder();
    for (String s : segments) {
      path.append(path.isEmpty() || s.startsWith("[") ? "" : ".").append(s);
    }
    return new ConfigError(path.toString(), "given twice; the second would replace the first");
  }

  /**
   * The key paths outside the judging settings whose values differ between two trees, sorted: a mapping's
   * keys are followed ({@code streams.max.poll.records}), a list or a scalar is one value (scalars compared by
   * their text, as the readers take them: quoting one changes nothing), and a key given in one tree only
   * differs (also when the other tree's default equals it: the file changed there).
   */
  static List<String> changedOutsideJudging(JsonNode before, JsonNode after) {
    Map<String, JsonNode> a = leaves(before);
    Map<String, JsonNode> b = leaves(after);
    Set<String> keys = new TreeSet<>(a.keySet());
    keys.addAll(b.keySet());
    List<String> out = new ArrayList<>();
    for (String k : keys) {
      if (!sameSetting(a.get(k), b.get(k))) {
        out.add(k);
      }
    }
    return out;
  }

  /**
   * Whether two leaves say the same: equal nodes, or scalars with the same text ({@code '8080'} and
   * {@code 8080}, {@code "true"} and {@code true}), since every reader takes a scalar by its text.
   */
  private static boolean sameSetting(JsonNode x, JsonNode y) {
    if (Objects.equals(x, y)) {
      return true;
    }
    return x != null && y != null && x.isValueNode() && y.isValueNode() && !x.isNull() && !y.isNull()
        && x.asText().equals(y.asText());
  }

  private static Map<String, JsonNode> leaves(JsonNode root) {
    Map<String, JsonNode> out = new TreeMap<>();
    if (root != null && root.isObject()) {
      collect("", root, out);
    }
    return out;
  }

  private static void collect(String prefix, JsonNode node, Map<String, JsonNode> out) {
    node.fields().forEachRemaining(e -> {
      String path = prefix + e.getKey();
      if (prefix.equals("detection.") && JUDGING_KEYS.contains(e.getKey())) {
        return;
      }
      if (e.getValue().isObject()) {
        collect(path + ".", e.getValue(), out);
      } else {
        out.put(path, e.getValue());
      }
    });
  }

  /**
   * {@code base} with its judging settings replaced by {@code edited}'s: a judging key {@code edited} gives is
   * copied, one it lacks is removed (back to its default). Neither tree is changed.
   */
  static JsonNode withJudgingOf(JsonNode base, JsonNode edited) {
    ObjectNode root = base != null && base.isObject() ? ((ObjectNode) base).deepCopy()
        : JsonNodeFactory.instance.objectNode();
    ObjectNode detection = root.get("detection") instanceof ObjectNode d ? d : root.putObject("detection");
    JsonNode from = edited == null ? null : edited.get("detection");
    for (String k : JUDGING_KEYS) {
      JsonNode v = from == null || !from.isObject() ? null : from.get(k);
      if (v == null) {
        detection.remove(k);
      } else {
        detection.set(k, v.deepCopy());
      }
    }
    return root;
  }
}
