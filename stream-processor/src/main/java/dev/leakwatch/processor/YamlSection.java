package dev.leakwatch.processor;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A mapping of the YAML configuration with typed, defaulted getters. Every key read is remembered
 * so that {@link #rejectUnknown()} can name a misspelt one instead of silently ignoring it.
 */
final class YamlSection {

  private final String path;
  private final JsonNode node;
  private final Set<String> known = new HashSet<>();

  YamlSection(String path, JsonNode node) {
    if (node != null && !node.isNull() && !node.isObject()) {
      throw new ConfigError(path.isEmpty() ? "(root)" : path, "expected a mapping");
    }
    this.path = path;
    this.node = node;
  }

  YamlSection section(String key) {
    return new YamlSection(keyPath(key), value(key));
  }

  String string(String key, String fallback) {
    JsonNode v = value(key);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isValueNode()) {
      throw new ConfigError(keyPath(key), "expected a scalar");
    }
    return v.asText();
  }

  /** A string that may be set to null or empty to mean "off". */
  String optionalString(String key, String fallback) {
    JsonNode v = value(key);
    if (v != null && (v.isNull() || v.asText().isBlank())) {
      return null;
    }
    return string(key, fallback);
  }

  boolean bool(String key, boolean fallback) {
    String s = string(key, null);
    if (s == null) {
      return fallback;
    }
    return switch (s.trim().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default -> throw new ConfigError(keyPath(key), "'" + s + "' is not a boolean");
    };
  }

  int integer(String key, int fallback) {
    long v = longValue(key, fallback);
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw new ConfigError(keyPath(key), v + " does not fit an int");
    }
    return (int) v;
  }

  long longValue(String key, long fallback) {
    return parsed(key, fallback, Long::parseLong, "an integer");
  }

  /** A finite number: {@code Infinity}, {@code NaN} and values beyond a double's range are refused. */
  double decimal(String key, double fallback) {
    return parsed(key, fallback, YamlSection::finite, "a finite number");
  }

  private static double finite(String s) {
    double v = Double.parseDouble(s);
    if (!Double.isFinite(v)) {
      throw new NumberFormatException(s);
    }
    return v;
  }

  private <T> T parsed(String key, T fallback, Function<String, T> parse, String what) {
    String s = string(key, null);
    if (s == null) {
      return fallback;
    }
    try {
      return parse.apply(s.trim());
    } catch (NumberFormatException e) {
      throw new ConfigError(keyPath(key), "'" + s + "' is not " + what);
    }
  }

  Duration duration(String key, Duration fallback) {
    String s = string(key, null);
    return s == null ? fallback : ConfigValues.duration(keyPath(key), s);
  }

  long bytes(String key, long fallback) {
    String s = string(key, null);
    return s == null ? fallback : ConfigValues.bytes(keyPath(key), s);
  }

  /**
   * A list of scalars, or one comma-separated string; empty when absent. An empty list item ({@code -} or
   * {@code ~}) is refused naming it ({@code key[i]}): Jackson reads it as the text {@code null}, which
   * would otherwise pass for a value.
   */
  java.util.List<String> strings(String key) {
    JsonNode v = value(key);
    java.util.List<String> out = new java.util.ArrayList<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (v.isArray()) {
      for (int i = 0; i < v.size(); i++) {
        JsonNode e = v.get(i);
        requireItem(key, i, e);
        if (!e.isValueNode()) {
          throw new ConfigError(keyPath(key), "expected a list of scalars");
        }
        out.add(e.asText().trim());
      }
    } else if (v.isValueNode()) {
      for (String s : v.asText().split(",")) {
        if (!s.isBlank()) {
          out.add(s.trim());
        }
      }
    } else {
      throw new ConfigError(keyPath(key), "expected a list or a comma-separated string");
    }
    return out;
  }

  /**
   * As {@link #strings}, for names: a plain scalar YAML reads as a number or a boolean is refused naming
   * it, as its text is no longer what was written ({@code 007} reads as 7, {@code no} as false); quoted,
   * it is read as written.
   */
  java.util.List<String> names(String key) {
    JsonNode v = value(key);
    if (v != null) {
      int i = 0;
      for (JsonNode e : v.isArray() ? v : java.util.List.of(v)) {
        if (e.isNumber() || e.isBoolean()) {
          throw new ConfigError(v.isArray() ? keyPath(key) + "[" + i + "]" : keyPath(key), "read by YAML as the "
              + (e.isNumber() ? "number " : "boolean ") + e.asText() + ", not as a name: quote it");
        }
        i++;
      }
    }
    return strings(key);
  }

  /**
   * A list of mappings, each a section named {@code key[i]}; empty when absent.
   *
   * @throws ConfigError when the value is not a list of mappings, or an item is empty
   */
  java.util.List<YamlSection> sections(String key) {
    JsonNode v = value(key);
    java.util.List<YamlSection> out = new java.util.ArrayList<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (!v.isArray()) {
      throw new ConfigError(keyPath(key), "expected a list of mappings");
    }
    for (int i = 0; i < v.size(); i++) {
      requireItem(key, i, v.get(i));
      out.add(new YamlSection(keyPath(key) + "[" + i + "]", v.get(i)));
    }
    return out;
  }

  /** The keys this mapping holds, in file order (empty when absent). */
  java.util.List<String> keys() {
    java.util.List<String> out = new java.util.ArrayList<>();
    if (node != null && !node.isNull()) {
      node.fieldNames().forEachRemaining(out::add);
    }
    return out;
  }

  /** Every entry of a free-form mapping (pass-through properties), values as strings. */
  Map<String, Object> properties(String key) {
    JsonNode v = value(key);
    Map<String, Object> out = new LinkedHashMap<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (!v.isObject()) {
      throw new ConfigError(keyPath(key), "expected a mapping of properties");
    }
    for (Map.Entry<String, JsonNode> e : v.properties()) {
      if (!e.getValue().isValueNode()) {
        throw new ConfigError(keyPath(key) + "." + e.getKey(), "expected a scalar");
      }
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }

  /** Refuses an empty list item ({@code -} or {@code ~}), which Jackson would read as the text {@code null}. */
  private void requireItem(String key, int i, JsonNode item) {
    if (item.isNull()) {
      throw new ConfigError(keyPath(key) + "[" + i + "]", "an empty list item; give it a value or remove it");
    }
  }

  /** Fails on the first key of this mapping that no getter asked for. */
  void rejectUnknown() {
    if (node == null || node.isNull()) {
      return;
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!known.contains(k)) {
        throw new ConfigError(keyPath(k), "unknown key (known: " + String.join(", ", new TreeSet<>(known)) + ")");
      }
    }
  }

  private JsonNode value(String key) {
    known.add(key);
    return node == null ? null : node.get(key);
  }

  /** This section's own path, as errors name it ({@code (root)} for the file). */
  String path() {
    return path.isEmpty() ? "(root)" : path;
  }

  /** The full path of {@code key} in this section, as errors name it. */
  String keyPath(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }
}
