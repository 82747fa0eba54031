package dev.leakwatch.topology.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * Reads a labelled corpus: every directory under the root that holds a {@code manifest.json},
 * sorted by name. Captures come from each instance's {@code captures[].files} (failed captures
 * simply have no file); paths are relative to the scenario directory.
 */
public final class CorpusReader {

  private static final ObjectMapper JSON = new ObjectMapper();

  private CorpusReader() {}

  /** @throws IllegalArgumentException when the root has no scenario or a manifest is malformed */
  public static List<CorpusScenario> read(Path root) {
    List<Path> dirs;
    try (Stream<Path> s = Files.list(root)) {
      dirs = s.filter(d -> Files.isRegularFile(d.resolve("manifest.json"))).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list corpus " + root, e);
    }
    if (dirs.isEmpty()) {
      throw new IllegalArgumentException("no scenario (directory with manifest.json) under " + root);
    }
    List<CorpusScenario> out = new ArrayList<>();
    for (Path d : dirs) {
      out.add(scenario(d));
    }
    return out;
  }

  static CorpusScenario scenario(Path dir) {
    Path manifest = dir.resolve("manifest.json");
    JsonNode m;
    try {
      m = JSON.readTree(manifest.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException(manifest + ": not readable JSON: " + e.getMessage(), e);
    }
    List<CorpusScenario.Capture> captures = new ArrayList<>();
    long earliestLeak = Long.MAX_VALUE;
    for (JsonNode inst : m.path("instances")) {
      String name = required(manifest, inst, "name");
      for (JsonNode start : inst.path("leak_starts")) {
        earliestLeak = Math.min(earliestLeak, start.path("unix_ms").asLong(Long.MAX_VALUE));
      }
      for (JsonNode cap : inst.path("captures")) {
        long ms = cap.path("unix_ms").asLong(-1);
        if (ms <= 0) {
          throw new IllegalArgumentException(manifest + ": capture of " + name + " without unix_ms");
        }
        for (Map.Entry<String, JsonNode> f : cap.path("files").properties()) {
          captures.add(new CorpusScenario.Capture(name, f.getKey(), ms, dir.resolve(f.getValue().asText())));
        }
      }
    }
    return new CorpusScenario(required(manifest, m, "scenario_id"), required(manifest, m, "service"),
        "leak".equals(m.path("label").asText()), m.path("leak_kind").asText("none"),
        strings(m.path("leak_site_functions")), strings(m.path("watch_functions")),
        earliestLeak == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(earliestLeak), captures);
  }

  private static String required(Path manifest, JsonNode node, String field) {
    String v = node.path(field).asText("");
    if (v.isEmpty()) {
      throw new IllegalArgumentException(manifest + ": missing " + field);
    }
    return v;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
