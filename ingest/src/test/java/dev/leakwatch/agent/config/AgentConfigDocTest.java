package dev.leakwatch.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.leakwatch.schemas.testing.ConfigDoc;
import dev.leakwatch.schemas.testing.DocTables;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/INGEST.md's configuration table (and its target entry) against the agent's parser: the keys
 * each section accepts, as its unknown-key error lists them, are the documented ones, and setting a
 * key to its documented default changes nothing.
 */
class AgentConfigDocTest {
  private static final String FILE = "docs/INGEST.md";
  private static final String HEADING = "### Configuration (`deploy/agent.yaml` is the annotated sample)";
  private static final List<String> SECTIONS = List.of("", "agent", "http", "push", "scrape", "scrape.tls", "buffer",
      "kafka", "discovery", "discovery.kubernetes");
  /** What every probe needs: a broker address, and an API server for the pod watch's keys. */
  private static final String BASE = "kafka:\n  client:\n    bootstrap.servers: 127.0.0.1:9\n"
      + "discovery:\n  kubernetes:\n    apiServer: https://127.0.0.1:6443\n";
  private static final Pattern TARGET_KEY = Pattern.compile("^[-\\s]*(\\w+):|# or (\\w+):");

  /** Documented key path → its default cell (keys of one row that share a cell get their share of it). */
  private static Map<String, String> documentedRows() {
    Map<String, String> out = new LinkedHashMap<>();
    String section = "";
    for (List<String> row : DocTables.table(FILE, HEADING)) {
      List<String> sections = DocTables.code(row.get(0));
      section = sections.isEmpty() ? section : sections.get(0);
      List<String> keys = DocTables.code(row.get(1));
      List<String> defaults = DocTables.code(row.get(2).replaceAll("\\([^)]*\\)", ""));
      if (keys.isEmpty()) {
        out.put(section, row.get(2));
      }
      for (int i = 0; i < keys.size(); i++) {
        String cell = keys.size() == 1 ? row.get(2) : defaults.size() == keys.size() ? "`" + defaults.get(i) + "`" : "";
        out.put(section + "." + keys.get(i), cell);
      }
    }
    return out;
  }

  private static String with(String path, JsonNode value) {
    ObjectNode root = (ObjectNode) AgentConfigLoader.parseYaml(BASE, "base");
    String[] parts = path.split("\\.");
    ObjectNode at = root;
    for (int i = 0; i < parts.length - 1; i++) {
      at = at.has(parts[i]) ? (ObjectNode) at.get(parts[i]) : at.putObject(parts[i]);
    }
    at.set(parts[parts.length - 1], value);
    return root.toString(); // JSON, which the agent reads as YAML
  }

  private static Set<String> accepted(String yaml) {
    try {
      AgentConfigLoader.parse(yaml, Path.of("."), w -> { });
      throw new AssertionError("an unknown key was accepted: " + yaml);
    } catch (ConfigException e) {
      return ConfigDoc.accepted(e.getMessage());
    }
  }

  @Test
  void shouldAcceptExactlyTheKeysIngestMdLists() {
    Map<String, Set<String>> documented = new TreeMap<>();
    for (String path : documentedRows().keySet()) {
      String[] parts = path.split("\\.");
      for (int i = 0; i < parts.length; i++) {
        documented.computeIfAbsent(String.join(".", List.of(parts).subList(0, i)), s -> new TreeSet<>()).add(parts[i]);
      }
    }
    String entry = DocTables.read(FILE).split("### Targets and target files", 2)[1].split("```")[1];
    for (String line : entry.lines().toList()) {
      Matcher m = TARGET_KEY.matcher(line);
      while (m.find()) {
        documented.computeIfAbsent("targets[0]", s -> new TreeSet<>()).add(m.group(1) != null ? m.group(1) : m.group(2));
      }
    }
    Map<String, Set<String>> accepted = new TreeMap<>();
    for (String section : SECTIONS) {
      accepted.put(section, accepted(with(section.isEmpty() ? "zzNotAKey" : section + ".zzNotAKey",
          AgentConfigLoader.parseYaml("1", "value"))));
    }
    accepted.put("targets[0]", accepted(with("targets",
        AgentConfigLoader.parseYaml("[{service: a, url: 'http://127.0.0.1:1', zzNotAKey: 1}]", "value"))));
    List<String> drift = new ArrayList<>();
    accepted.forEach((section, keys) -> {
      Set<String> doc = documented.getOrDefault(section, Set.of());
      keys.stream().filter(k -> !doc.contains(k)).forEach(k -> drift.add(section + " " + k + ": accepted, not documented"));
      doc.stream().filter(k -> !keys.contains(k)).forEach(k -> drift.add(section + " " + k + ": documented, not accepted"));
    });
    assertEquals(List.of(), drift, FILE + "'s configuration table against the parser");
  }

  @Test
  void shouldDefaultEveryKeyToTheValueIngestMdStates() {
    AgentConfig base = AgentConfigLoader.parse(BASE, Path.of("."), w -> { });
    List<String> drift = new ArrayList<>();
    documentedRows().forEach((path, cell) -> {
      String value = ConfigDoc.literalDefault(cell);
      if (value == null) {
        return;
      }
      try {
        AgentConfig set = AgentConfigLoader.parse(with(path, AgentConfigLoader.parseYaml(value, path)), Path.of("."), w -> { });
        if (!set.equals(base)) {
          drift.add(path + ": " + value + " is not the default");
        }
      } catch (ConfigException e) {
        drift.add(path + ": " + value + " is refused: " + e.getMessage());
      }
    });
    assertEquals(List.of(), drift, "defaults in " + FILE + " against the parser's");
  }
}
