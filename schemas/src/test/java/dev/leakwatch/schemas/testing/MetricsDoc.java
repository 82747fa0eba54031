package dev.leakwatch.schemas.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drift between a documented metrics table ({@code | metric | labels | meaning |}) and what a
 * running process exports on {@code /metrics} (Prometheus text). The table states a metric's name
 * (its sample names: {@code x_total}, or a base with {@code (`_count`, `_sum`, `_max`)}), its label
 * names (a cell's code spans, values after {@code =} or in parentheses ignored) and, by Prometheus'
 * naming, its type: {@code _total} a counter, {@code _count}/{@code _sum} a summary, else a gauge.
 */
public final class MetricsDoc {
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");

  private MetricsDoc() {}

  /** Sample name → documented label names, from a table's rows. */
  static Map<String, Set<String>> documented(List<List<String>> rows) {
    Map<String, Set<String>> out = new TreeMap<>();
    for (List<String> row : rows) {
      Set<String> labels = new TreeSet<>();
      for (String l : DocTables.code(row.get(1).replaceAll("\\([^)]*\\)", ""))) {
        labels.add(l.split("=", 2)[0]);
      }
      List<String> names = DocTables.code(row.get(0));
      for (int i = 0; i < names.size(); i++) {
        String name = names.get(i);
        if (name.startsWith("_")) {
          continue;
        }
        List<String> suffixes = new ArrayList<>();
        for (int j = i + 1; j < names.size() && names.get(j).startsWith("_"); j++) {
          suffixes.add(names.get(j));
        }
        if (suffixes.isEmpty()) {
          out.put(name, labels);
        }
        suffixes.forEach(s -> out.put(name + s, labels));
      }
    }
    return out;
  }

  /**
   * Every way {@code scrape}'s series named {@code prefix}* and the documented {@code rows} disagree:
   * a series not in the table, a documented one not exported, other label names, another type. Empty
   * when they agree.
   */
  public static List<String> drift(List<List<String>> rows, String scrape, String prefix) {
    Map<String, String> types = new HashMap<>();
    Map<String, Set<Set<String>>> exported = new TreeMap<>();
    for (String line : scrape.lines().toList()) {
      if (line.startsWith("# TYPE " + prefix)) {
        String[] f = line.split(" ");
        types.put(f[2], f[3]);
      } else if (line.startsWith(prefix)) {
        int end = line.indexOf('{') >= 0 && line.indexOf('{') < line.indexOf(' ') ? line.indexOf('{') : line.indexOf(' ');
        Set<String> labels = new TreeSet<>();
        Matcher m = LABEL.matcher(line.substring(end, line.lastIndexOf(' ')));
        while (m.find()) {
          labels.add(m.group(1));
        }
        exported.computeIfAbsent(line.substring(0, end), k -> new java.util.HashSet<>()).add(labels);
      }
    }
    Map<String, Set<String>> doc = documented(rows);
    List<String> drift = new ArrayList<>();
    exported.forEach((name, labelSets) -> {
      if (!doc.containsKey(name)) {
        drift.add(name + ": exported (labels " + labelSets + "), not in the table");
        return;
      }
      if (!labelSets.equals(Set.of(doc.get(name)))) {
        drift.add(name + ": labels " + doc.get(name) + " in the table, exported " + labelSets);
      }
      String expected = name.endsWith("_total") ? "counter"
          : name.endsWith("_count") || name.endsWith("_sum") ? "summary" : "gauge";
      String type = types.entrySet().stream().filter(t -> name.startsWith(t.getKey()))
          .max(Map.Entry.comparingByKey((a, b) -> a.length() - b.length())).map(Map.Entry::getValue).orElse("none");
      if (!type.equals(expected)) {
        drift.add(name + ": a " + expected + " by its documented name, exported as " + type);
      }
    });
    doc.keySet().stream().filter(n -> !exported.containsKey(n))
        .forEach(n -> drift.add(n + ": in the table, not exported"));
    return drift;
  }

  /**
   * The {@code leakwatch_*} names {@code text} mentions (matching {@code family}) that are neither a
   * sample nor a metric family of {@code scrape}: prose naming a metric that does not exist.
   */
  public static Set<String> unknownMentions(String text, Pattern family, String scrape) {
    Set<String> known = new TreeSet<>();
    for (String line : scrape.lines().toList()) {
      if (line.startsWith("# TYPE ")) {
        known.add(line.split(" ")[2]);
      } else if (!line.startsWith("#") && !line.isBlank()) {
        known.add(line.split("[{ ]", 2)[0]);
      }
    }
    Set<String> out = new TreeSet<>();
    Matcher m = family.matcher(text);
    while (m.find()) {
      if (!known.contains(m.group())) {
        out.add(m.group());
      }
    }
    return out;
  }
}
