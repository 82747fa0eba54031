package dev.leakwatch.reliability.processor;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A processor's own account of its restorations, read from its {@code /metrics} as an operator
 * would: the changelog records restored per store since it started, and those left.
 */
record RestoreMetrics(Map<String, Long> restored, Map<String, Long> remaining) {

  private static final Pattern LINE =
      Pattern.compile("^leakwatch_store_(restored_records_total|restore_remaining_records)\\{store=\"([^\"]+)\"} (\\S+)$");

  /** Records restored over every store. */
  long total() {
    return restored.values().stream().mapToLong(Long::longValue).sum();
  }

  static RestoreMetrics of(int port) {
    QueryAnswers.Answer a = QueryAnswers.once(port, "/metrics");
    if (a.status() != 200) {
      throw new AssertionError("/metrics answered " + a.status() + ": " + a.body());
    }
    Map<String, Long> restored = new TreeMap<>();
    Map<String, Long> remaining = new TreeMap<>();
    for (String line : a.body().split("\n")) {
      Matcher m = LINE.matcher(line);
      if (m.matches()) {
        (m.group(1).startsWith("restored") ? restored : remaining).put(m.group(2), (long) Double.parseDouble(m.group(3)));
      }
    }
    return new RestoreMetrics(restored, remaining);
  }
}
