package dev.leakwatch.agent.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A position in a parsed YAML/JSON document that knows its path, so every typed accessor can
 * fail with a message naming exactly which value is wrong ({@code targets[2].timeout: ...}).
 *
 * <p>Absent keys and explicit {@code null} both count as "not set" and yield the default.
 */
public final class ConfigNode {
  private final JsonNode node;
  private final String path;

  public ConfigNode(JsonNode node, String path) {
    this.node = node == null ? MissingNode.getInstance() : node;
    this.path = path;
  }

  /** The path of this node in the document, e.g. {@code scrape} or {@code targets[0]}. */
  public String path() {
    return path;
  }

  /** True unless the node is absent or {@code null}. */
  public boolean isSet() {
    return !node.isMissingNode() && !node.isNull();
  }

  /** The child object at {@code key}; an absent child is an empty (unset) node. */
  public ConfigNode child(String key) {
    if (isSet() && !node.isObject()) {
      throw new ConfigException(path + ": expected a mapping, got " + describe(node));
    }
    return new ConfigNode(node.get(key), childPath(key));
  }

  /** Fails if this mapping holds keys outside {@code allowed}, so typos don't pass silently. */
  public ConfigNode rejectUnknownKeys(Set<String> allowed) {
    if (!isSet()) {
      return this;
    }
    if (!node.isObject()) {
      throw new ConfigException(path + ": expected a mapping, got " + describe(node));
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!allowed.contains(key)) {
        throw new ConfigException(
            childPath(key) + ": unknown key (allowed here: " + String.join(", ", new TreeSet<>(allowed)) + ")");
      }
    }
    return this;
  }

  public String string(String key, String defaultValue) {
    ConfigNode c = child(key);
    if (!c.isSet()) {
      return defaultValue;
    }
    if (!c.node.isValueNode()) {
      throw new ConfigException(c.path + ": expected a string, got " + describe(c.node));
    }
    return c.node.asText();
  }

  /** A required non-blank string. */
  public String requiredString(String key) {
    String s = string(key, null);
    if (s == null || s.isBlank()) {
      throw new ConfigException(childPath(key) + ": required");
    }
    return s;
  }

  public boolean bool(String key, boolean defaultValue) {
    ConfigNode c = child(key);
    if (!c.isSet()) {
      return defaultValue;
    }
    if (!c.node.isBoolean()) {
      throw new ConfigException(c.path + ": expected true or false, got " + describe(c.node));
    }
    return c.node.booleanValue();
  }

  /** An integer within {@code [min, max]}. */
  public int integer(String key, int defaultValue, int min, int max) {
    ConfigNode c = child(key);
    if (!c.isSet()) {
      return defaultValue;
    }
    if (!c.node.canConvertToInt() || !c.node.isIntegralNumber()) {
      throw new ConfigException(c.path + ": expected an integer, got " + describe(c.node));
    }
    int v = c.node.intValue();
    if (v < min || v > max) {
      throw new ConfigException(c.path + ": " + v + " is outside [" + min + ", " + max + "]");
    }
    return v;
  }

  /** A fraction within {@code [min, max]}. */
  public double number(String key, double defaultValue, double min, double max) {
    ConfigNode c = child(key);
    if (!c.isSet()) {
      return defaultValue;
    }
    if (!c.node.isNumber()) {
      throw new ConfigException(c.path + ": expected a number, got " + describe(c.node));
    }
    double v = c.node.doubleValue();
    if (v < min || v > max) {
      throw new ConfigException(c.path + ": " + v + " is outside [" + min + ", " + max + "]");
    }
    return v;
  }

  /** A duration in {@link Durations} notation, at least {@code min}. */
  public Duration duration(String key, Duration defaultValue, Duration min) {
    String s = string(key, null);
    if (s == null) {
      return defaultValue;
    }
    Duration d = Durations.parse(s, childPath(key));
    if (d.compareTo(min) < 0) {
      throw new ConfigException(
          childPath(key) + ": " + s + " is below the minimum " + Durations.format(min));
    }
    return d;
  }

  /** A size in {@link ByteSizes} notation (or a plain number of bytes), at least {@code min}. */
  public long bytes(String key, long defaultValue, long min) {
    String s = string(key, null);
    if (s == null) {
      return defaultValue;
    }
    long v = ByteSizes.parse(s, childPath(key));
    if (v < min) {
      throw new ConfigException(
          childPath(key) + ": " + s + " is below the minimum " + ByteSizes.format(min));
    }
    return v;
  }

  /** The elements of the list at {@code key}; absent means empty. */
  public List<ConfigNode> list(String key) {
    ConfigNode c = child(key);
    return c.elements();
  }

  /** The elements of this node, which must be a list (or unset, meaning empty). */
  public List<ConfigNode> elements() {
    List<ConfigNode> out = new ArrayList<>();
    if (!isSet()) {
      return out;
    }
    if (!node.isArray()) {
      throw new ConfigException(path + ": expected a list, got " + describe(node));
    }
    for (int i = 0; i < node.size(); i++) {
      out.add(new ConfigNode(node.get(i), path + "[" + i + "]"));
    }
    return out;
  }

  /** A list of strings at {@code key}, or {@code defaultValue} when absent. */
  public List<String> strings(String key, List<String> defaultValue) {
    ConfigNode c = child(key);
    if (!c.isSet()) {
      return defaultValue;
    }
    List<String> out = new ArrayList<>();
    for (ConfigNode e : c.elements()) {
      if (!e.node.isValueNode() || e.node.isNull()) {
        throw new ConfigException(e.path + ": expected a string, got " + describe(e.node));
      }
      out.add(e.node.asText());
    }
    return out;
  }

  /**
   * A flat mapping of scalar values at {@code key}, converted to strings in document order. Keys
   * may contain dots ({@code security.protocol}); nested mappings are rejected.
   */
  public Map<String, String> stringMap(String key) {
    ConfigNode c = child(key);
    Map<String, String> out = new LinkedHashMap<>();
    if (!c.isSet()) {
      return out;
    }
    if (!c.node.isObject()) {
      throw new ConfigException(c.path + ": expected a mapping, got " + describe(c.node));
    }
    for (Map.Entry<String, JsonNode> e : c.node.properties()) {
      if (!e.getValue().isValueNode() || e.getValue().isNull()) {
        throw new ConfigException(
            c.childPath(e.getKey()) + ": expected a scalar value, got " + describe(e.getValue()));
      }
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }

  private String childPath(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private static String describe(JsonNode n) {
    if (n.isObject()) {
      return "a mapping";
    }
    if (n.isArray()) {
      return "a list";
    }
    return "'" + n.asText() + "'";
  }
}
