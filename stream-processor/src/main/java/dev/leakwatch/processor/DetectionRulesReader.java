package dev.leakwatch.processor;

import dev.leakwatch.detect.DetectionConfig;
import dev.leakwatch.detect.DetectionPolicy;
import dev.leakwatch.detect.ServicePattern;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code detection.services}: the per-service rules of the {@link DetectionPolicy}, in file order.
 * Each entry holds {@code match} (one pattern or a list; required), {@code judge} (default true) and any
 * of {@link DetectionPolicy#PER_SERVICE_FIELDS}, which default to the values under {@code detection}.
 * A global detection key in an entry, an unknown key, a bad pattern or value is a {@link ConfigError}
 * naming the entry's key path ({@code detection.services[2].warmup}).
 */
final class DetectionRulesReader {
  static final String KEY = "services";

  private DetectionRulesReader() {}

  static DetectionPolicy read(List<YamlSection> entries, DetectionConfig base) {
    if (entries.size() > DetectionPolicy.MAX_RULES) {
      throw new ConfigError("detection." + KEY, "at most " + DetectionPolicy.MAX_RULES + " entries, got "
          + entries.size());
    }
    List<DetectionPolicy.Rule> rules = new ArrayList<>(entries.size());
    for (YamlSection e : entries) {
      DetectionPolicy.Rule r = rule(e, base);
      rejectShadowed(e, r, rules);
      rules.add(r);
    }
    return new DetectionPolicy(base, rules);
  }

  /**
   * Refuses a pattern of {@code r} that an earlier rule's pattern covers: the first match wins, so it would
   * never apply. {@code q} covers {@code p} when {@code q} matches {@code p}'s text (its stars as letters):
   * {@code q}'s literal runs then lie in {@code p}'s, and any name {@code p} matches keeps them in order.
   */
  private static void rejectShadowed(YamlSection e, DetectionPolicy.Rule r, List<DetectionPolicy.Rule> earlier) {
    for (ServicePattern p : r.services()) {
      for (int i = 0; i < earlier.size(); i++) {
        for (ServicePattern q : earlier.get(i).services()) {
          if (q.matches(p.toString())) {
            throw new ConfigError(e.keyPath("match"), "'" + p + "' never applies: detection." + KEY + "[" + i
                + "] ('" + q + "') covers it first (the first match wins); move this entry above that one or"
                + " drop the pattern");
          }
        }
      }
    }
  }

  private static DetectionPolicy.Rule rule(YamlSection e, DetectionConfig base) {
    String perService = "match, judge, " + String.join(", ", DetectionPolicy.PER_SERVICE_FIELDS);
    for (String k : e.keys()) {
      if (TopologyConfigReader.DETECTION_KEYS.contains(k) && !DetectionPolicy.PER_SERVICE_FIELDS.contains(k)) {
        throw new ConfigError(e.keyPath(k), "the same for every service: set it under detection, not per "
            + "service (per service: " + perService + ")");
      }
      if (!k.equals("match") && !k.equals("judge") && !DetectionPolicy.PER_SERVICE_FIELDS.contains(k)) {
        throw new ConfigError(e.keyPath(k), "unknown key (per service: " + perService + ")");
      }
    }
    List<ServicePattern> patterns = new ArrayList<>();
    for (String p : e.names("match")) {
      try {
        patterns.add(ServicePattern.of(p));
      } catch (IllegalArgumentException ex) {
        throw new ConfigError(e.keyPath("match"), ex.getMessage());
      }
    }
    if (patterns.isEmpty()) {
      throw new ConfigError(e.keyPath("match"), "required: one service pattern or a list of them"
          + " ('*' stands for any characters)");
    }
    boolean judge = e.bool("judge", true);
    DetectionConfig c;
    try {
      c = TopologyConfigReader.readDetection(e, base);
    } catch (IllegalArgumentException ex) {
      throw ConfigError.fromValidation(e.path(), ex.getMessage(),
          f -> TopologyConfigReader.DETECTION_KEYS.contains(f) ? e.keyPath(f) : null);
    }
    return new DetectionPolicy.Rule(patterns, c, judge);
  }
}
