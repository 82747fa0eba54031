package dev.leakwatch.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leakwatch.schemas.testing.ConfigDoc;
import dev.leakwatch.schemas.testing.DocTables;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * docs/PROCESSOR.md's configuration table (and README's decode limits, DETECTION.md's defaults) against {@link
 * ProcessorConfig}: the keys each section accepts, as its unknown-key error lists them, are the
 * documented ones, and setting a key to its documented default changes nothing.
 */
class ProcessorConfigDocTest {
  private static final String FILE = "docs/PROCESSOR.md";
  private static final String HEADING = "## Configuration (`processor.yaml`)";
  /** The sections whose keys the table lists one by one (detection's are docs/DETECTION.md's; streams and serde pass through). */
  private static final List<String> SECTIONS = List.of("", "topics", "windows", "rocksdb", "limits", "limits.decode", "http");
  private static final List<String> SECTIONS_AND_DETECTION = List.of("", "topics", "windows", "rocksdb", "limits",
      "limits.decode", "http", "detection");

  /** docs/DETECTION.md §6: {@code detection.<field>} → its default, written as the file takes it ("20 s" as 20s). */
  private static Map<String, String> detectionDefaults() {
    Map<String, String> out = new TreeMap<>();
    for (List<String> row : DocTables.table("docs/DETECTION.md", "## 6. `DetectionConfig` defaults")) {
      String v = row.get(1).replace("/h", "").replace(" min", "m").replace(" s", "s");
      out.put("detection." + DocTables.code(row.get(0)).get(0),
          v.endsWith(" MiB") ? Long.toString(Long.parseLong(v.substring(0, v.length() - 4)) << 20) : v);
    }
    return out;
  }

  /** Documented key paths, and for a {@code section.*} row with its keys listed inline, those keys. */
  private static Map<String, String> documentedRows() {
    Map<String, String> out = new LinkedHashMap<>();
    for (List<String> row : DocTables.table(FILE, HEADING)) {
      List<String> keys = DocTables.code(row.get(0));
      String prefix = keys.get(0).contains(".") ? keys.get(0).substring(0, keys.get(0).lastIndexOf('.') + 1) : "";
      for (String k : keys) {
        out.put(k.contains(".") ? k : prefix + k, row.get(1));
      }
      String first = keys.get(0);
      if (first.endsWith(".*") && SECTIONS.contains(first.substring(0, first.length() - 2))) {
        String section = first.substring(0, first.length() - 2);
        DocTables.code(row.get(2)).stream().filter(c -> c.matches("[a-z][A-Za-z]+"))
            .forEach(k -> out.putIfAbsent(section + "." + k, null));
      }
    }
    return out;
  }

  private static Set<String> acceptedIn(String section) {
    String probe = section.isEmpty() ? "zzNotAKey: 1\n" : ConfigDoc.yaml(section + ".zzNotAKey", "1");
    try {
      ProcessorConfig.parse(probe, w -> { });
      throw new AssertionError(section + ": an unknown key was accepted");
    } catch (ConfigError e) {
      return ConfigDoc.accepted(e.getMessage());
    }
  }

  @Test
  void shouldAcceptExactlyTheKeysProcessorMdLists() {
    Map<String, Set<String>> documented = new TreeMap<>();
    for (String path : documentedRows().keySet()) {
      String[] parts = path.split("\\.");
      for (int i = 0; i < parts.length && !parts[i].equals("*"); i++) {
        documented.computeIfAbsent(String.join(".", List.of(parts).subList(0, i)), s -> new TreeSet<>()).add(parts[i]);
      }
    }
    // detection's keys are docs/DETECTION.md's table (§6) and its per-service rules
    detectionDefaults().keySet().forEach(k -> documented.computeIfAbsent("detection", s -> new TreeSet<>()).add(k.substring("detection.".length())));
    if (DocTables.read("docs/DETECTION.md").contains("`detection.services`")) {
      documented.computeIfAbsent("detection", s -> new TreeSet<>()).add("services");
    }
    List<String> drift = new ArrayList<>();
    for (String section : SECTIONS_AND_DETECTION) {
      Set<String> accepted = acceptedIn(section);
      Set<String> doc = documented.getOrDefault(section, Set.of());
      accepted.stream().filter(k -> !doc.contains(k)).forEach(k -> drift.add(section + " " + k + ": accepted, not documented"));
      doc.stream().filter(k -> !accepted.contains(k)).forEach(k -> drift.add(section + " " + k + ": documented, not accepted"));
    }
    assertEquals(List.of(), drift, FILE + "'s configuration table against the parser");
  }

  @Test
  void shouldDefaultEveryKeyToTheValueTheDocsState() throws Exception {
    Map<String, String> defaults = new TreeMap<>();
    documentedRows().forEach((path, cell) -> {
      String value = cell == null || path.contains("*") ? null : ConfigDoc.literalDefault(cell);
      if (value != null) {
        defaults.put(path, value);
      }
    });
    for (List<String> row : DocTables.table(FILE, HEADING)) {
      String first = DocTables.code(row.get(0)).get(0);
      if (first.endsWith(".*") && SECTIONS.contains(first.substring(0, first.length() - 2))) {
        ConfigDoc.inlineDefaults(row.get(2)).forEach((k, v) -> defaults.put(first.replace("*", k), v));
      }
    }
    Map<String, String> readme = new TreeMap<>();
    for (List<String> row : DocTables.table("README.md", "### pprof decode limits")) {
      readme.put("limits.decode." + DocTables.code(row.get(0)).get(0),
          row.get(1).replace(",", "").replace(" frames", "").replace(" ", ""));
    }
    ProcessorConfig base = ProcessorConfig.parse("{}", w -> { });
    List<String> drift = new ArrayList<>();
    Map<String, String> detection = detectionDefaults();
    for (Map<String, String> source : List.of(defaults, readme, detection)) {
      for (Map.Entry<String, String> d : source.entrySet()) {
        String where = d.getKey() + ": " + d.getValue() + (source == readme ? " (README.md)" : source == detection ? " (DETECTION.md)" : "");
        try {
          if (!sameSettings(base, ProcessorConfig.parse(ConfigDoc.yaml(d.getKey(), d.getValue()), w -> { }))) {
            drift.add(where + " is not the default");
          }
        } catch (ConfigError e) {
          drift.add(where + " is refused: " + e.getMessage());
        }
      }
    }
    assertEquals(List.of(), drift, "defaults in " + FILE + ", README.md and docs/DETECTION.md against the parser's");
    assertEquals(Set.of(), new TreeSet<>(defaults.keySet().stream().filter(k -> k.startsWith("limits.decode."))
        .filter(k -> !readme.containsKey(k)).toList()), "decode limits PROCESSOR.md states that README.md does not list");
  }

  /** Equal settings: the detection defaults and the digest of the rules included. */
  private static boolean sameSettings(ProcessorConfig a, ProcessorConfig b) throws Exception {
    if (!a.streams().equals(b.streams()) || !a.topics().equals(b.topics()) || !a.http().equals(b.http())
        || !a.rules().interval().equals(b.rules().interval())
        || !a.topology().detection().equals(b.topology().detection())
        || !a.topology().detectionPolicy().digest().equals(b.topology().detectionPolicy().digest())) {
      return false;
    }
    for (RecordComponent c : a.topology().getClass().getRecordComponents()) {
      if (!c.getName().equals("livePolicy")
          && !Objects.equals(c.getAccessor().invoke(a.topology()), c.getAccessor().invoke(b.topology()))) {
        return false;
      }
    }
    return true;
  }
}
