package dev.leakwatch.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layers of the code base, as the developers' guide states them: the pprof model is the ground
 * floor and imports nothing of ours; detection and the topology stand on it; the query layer, the
 * HTTP layer and the agent above them; wiring and the command line on top. Read from the sources of
 * every module's {@code src/main/java}: each reference to another of our packages (an import or a
 * fully qualified name outside comments) must point to a lower layer, and no packages may reference
 * each other in a cycle.
 */
class LayeringTest {

  /** Top-level package (below {@code dev.leakwatch}) → its layer; a package may use lower layers only. */
  private static final Map<String, Integer> LAYERS = Map.ofEntries(
      Map.entry("pprof", 0), Map.entry("naming", 0), Map.entry("web", 0), Map.entry("logging", 0),
      Map.entry("schemas", 1), Map.entry("ui", 1),
      Map.entry("detect", 2),
      Map.entry("topology", 3),
      Map.entry("query", 4), Map.entry("agent", 4),
      Map.entry("http", 5),
      Map.entry("processor", 6), Map.entry("local", 6),
      Map.entry("demo", 7), Map.entry("bench", 7),
      Map.entry("alerting", 8),
      Map.entry("cli", 9));

  private static final Pattern PACKAGE = Pattern.compile("^package (dev\\.leakwatch[\\w.]*);", Pattern.MULTILINE);
  private static final Pattern REFERENCE = Pattern.compile("\\b(dev\\.leakwatch(?:\\.[a-z0-9_]+)+)\\.[A-Z*]");
  private static final Pattern COMMENTS = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);
  private static final Pattern STRINGS = Pattern.compile("\"(?:\\\\.|[^\"\\\\\\n])*\"");

  /** Package → the packages of ours its sources reference (itself excluded). */
  private static Map<String, Set<String>> graph;

  @BeforeAll
  static void readSources() throws IOException {
    Path root = Path.of("..").toAbsolutePath().normalize();
    graph = new TreeMap<>();
    try (Stream<Path> modules = Files.list(root)) {
      for (Path main : modules.map(m -> m.resolve("src/main/java")).filter(Files::isDirectory).toList()) {
        try (Stream<Path> files = Files.walk(main)) {
          files.filter(f -> f.toString().endsWith(".java")).forEach(LayeringTest::read);
        }
      }
    }
    assertTrue(graph.keySet().stream().anyMatch(p -> p.startsWith("dev.leakwatch.pprof")),
        "the sources were found under " + root + ": " + graph.keySet());
  }

  private static void read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Matcher p = PACKAGE.matcher(text);
    if (!p.find()) {
      return;
    }
    String pkg = p.group(1);
    String code = STRINGS.matcher(COMMENTS.matcher(text).replaceAll(" ")).replaceAll("\"\"");
    code = PACKAGE.matcher(code).replaceAll("");
    Set<String> refs = graph.computeIfAbsent(pkg, k -> new TreeSet<>());
    Matcher r = REFERENCE.matcher(code);
    while (r.find()) {
      if (!r.group(1).equals(pkg)) {
        refs.add(r.group(1));
      }
    }
  }

  private static String top(String pkg) {
    String rest = pkg.substring("dev.leakwatch".length());
    return rest.isEmpty() ? "" : rest.substring(1).split("\\.")[0];
  }

  @Test
  void shouldPlaceEveryPackageInALayer() {
    Set<String> unplaced = new TreeSet<>();
    graph.keySet().stream().map(LayeringTest::top).filter(t -> !LAYERS.containsKey(t)).forEach(unplaced::add);
    assertEquals(Set.of(), unplaced, "top-level packages with no layer in LayeringTest.LAYERS");
  }

  @Test
  void shouldReferenceOnlyLowerLayers() {
    List<String> upward = new ArrayList<>();
    graph.forEach((from, refs) -> {
      for (String to : refs) {
        String a = top(from);
        String b = top(to);
        if (!a.equals(b) && LAYERS.getOrDefault(b, Integer.MAX_VALUE) >= LAYERS.getOrDefault(a, -1)) {
          upward.add(from + " -> " + to + " (layer " + LAYERS.get(a) + " -> " + LAYERS.get(b) + ")");
        }
      }
    });
    assertEquals(List.of(), upward, "references to the same or a higher layer");
  }

  @Test
  void shouldHaveNoCycleBetweenPackages() {
    List<List<String>> cycles = new StronglyConnected(graph).components().stream().filter(c -> c.size() > 1).toList();
    assertEquals(List.of(), cycles, "packages that reference each other, directly or through others");
  }

  /** Tarjan's strongly connected components of a small graph. */
  private static final class StronglyConnected {
    private final Map<String, Set<String>> edges;
    private final Map<String, Integer> index = new HashMap<>();
    private final Map<String, Integer> low = new HashMap<>();
    private final List<String> stack = new ArrayList<>();
    private final Set<String> onStack = new TreeSet<>();
    private final List<List<String>> out = new ArrayList<>();

    StronglyConnected(Map<String, Set<String>> edges) {
      this.edges = edges;
    }

    List<List<String>> components() {
      for (String v : edges.keySet()) {
        if (!index.containsKey(v)) {
          visit(v);
        }
      }
      return out;
    }

    private void visit(String v) {
      index.put(v, index.size());
      low.put(v, index.get(v));
      stack.add(v);
      onStack.add(v);
      for (String w : edges.getOrDefault(v, Set.of())) {
        if (!index.containsKey(w)) {
          visit(w);
          low.put(v, Math.min(low.get(v), low.get(w)));
        } else if (onStack.contains(w)) {
          low.put(v, Math.min(low.get(v), index.get(w)));
        }
      }
      if (low.get(v).equals(index.get(v))) {
        List<String> component = new ArrayList<>();
        String w;
        do {
          w = stack.remove(stack.size() - 1);
          onStack.remove(w);
          component.add(w);
        } while (!w.equals(v));
        out.add(component);
      }
    }
  }
}
