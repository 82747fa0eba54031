package dev.leakwatch.pprof;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The call graph that {@code go tool pprof} reports are built from, at function granularity: one
 * node per function name (inlined frames are nodes of their own), weighted by one sample value.
 *
 * <p>Per sample, a node's cum counts once however often it recurs in the stack, the flat value
 * goes to the leaf frame, and each caller→callee edge counts once. When built with a kept set,
 * frames of other functions are skipped; a sample whose leaf is not kept adds no flat value.
 */
final class CallGraph {

  /** A function of the graph with its accumulated values. */
  static final class Node {
    final String key;
    final String name;
    long flat;
    long cum;
    final Map<Node, Edge> in = new HashMap<>();
    final Map<Node, Edge> out = new HashMap<>();
    private int stamp = -1;

    Node(String key, String name) {
      this.key = key;
      this.name = name;
    }
  }

  /** A caller→callee edge; inline only if every sample saw the callee inlined there. */
  static final class Edge {
    long weight;
    boolean inline;
    private int stamp = -1;
  }

  /** Orders nodes as pprof does: by |flat| (or |cum|), then name, then the other value. */
  static final Comparator<Node> FLAT_ORDER =
      Comparator.<Node>comparingLong(n -> -Math.abs(n.flat))
          .thenComparing(n -> n.name)
          .thenComparingLong(n -> -Math.abs(n.cum))
          .thenComparing(n -> n.key);
  static final Comparator<Node> CUM_ORDER =
      Comparator.<Node>comparingLong(n -> -Math.abs(n.cum))
          .thenComparing(n -> n.name)
          .thenComparingLong(n -> -Math.abs(n.flat))
          .thenComparing(n -> n.key);

  private final Map<String, Node> byKey = new HashMap<>();
  private final Map<Location, Node[]> byLocation = new IdentityHashMap<>();
  private final Set<String> kept;
  final List<Node> nodes;

  /**
   * @param kept node keys to keep, or null for all
   */
  CallGraph(Profile profile, int sampleIndex, Set<String> kept) {
    this.kept = kept;
    List<Sample> samples = profile.samples();
    for (int s = 0; s < samples.size(); s++) {
      Sample sample = samples.get(s);
      long w = sample.value(sampleIndex);
      if (w != 0) {
        add(s, sample, w);
      }
    }
    List<Node> all = new ArrayList<>();
    for (Node n : byKey.values()) {
      if (n.flat != 0 || n.cum != 0) {
        all.add(n);
      }
    }
    nodes = all;
  }

  private void add(int stamp, Sample sample, long w) {
    Node parent = null;
    boolean residual = false;
    List<Location> locs = sample.locations();
    for (int i = locs.size() - 1; i >= 0; i--) {
      Node[] locNodes = nodesOf(locs.get(i));
      for (int ni = locNodes.length - 1; ni >= 0; ni--) {
        Node n = locNodes[ni];
        if (n == null) {
          residual = true;
          continue;
        }
        if (n.stamp != stamp) {
          n.stamp = stamp;
          n.cum += w;
        }
        if (parent != null && n != parent) {
          addEdge(stamp, parent, n, w, ni != locNodes.length - 1);
        }
        parent = n;
        residual = false;
      }
    }
    if (parent != null && !residual) {
      parent.flat += w;
    }
  }

  private static void addEdge(int stamp, Node from, Node to, long w, boolean inline) {
    Edge e = from.out.get(to);
    if (e == null) {
      e = new Edge();
      e.inline = inline;
      from.out.put(to, e);
      to.in.put(from, e);
    } else if (e.stamp == stamp) {
      return;
    } else if (!inline) {
      e.inline = false;
    }
    e.stamp = stamp;
    e.weight += w;
  }

  /** The nodes of a location's lines, callee first; null entries for frames not kept. */
  private Node[] nodesOf(Location loc) {
    Node[] cached = byLocation.get(loc);
    if (cached != null) {
      return cached;
    }
    List<Line> lines = loc.lines();
    String objfile = loc.mapping() == null ? "" : loc.mapping().file();
    Node[] out = new Node[Math.max(1, lines.size())];
    if (lines.isEmpty()) {
      out[0] = node("", objfile, 0);
    }
    for (int i = 0; i < lines.size(); i++) {
      Function f = lines.get(i).function();
      out[i] = node(f.name(), objfile, f.startLine());
    }
    byLocation.put(loc, out);
    return out;
  }

  /**
   * The node for a function; at function granularity a named function is identified by its name
   * alone, a nameless frame by its binary and start line and printed as {@code [binary]}.
   */
  private Node node(String function, String objfile, long startLine) {
    String key = function.isEmpty() ? "\0" + objfile + "\0" + startLine : function;
    if (kept != null && !kept.contains(key)) {
      return null;
    }
    return byKey.computeIfAbsent(key, k -> new Node(k, printable(function, objfile)));
  }

  private static String printable(String function, String objfile) {
    if (!function.isEmpty()) {
      return function;
    }
    if (!objfile.isEmpty()) {
      return "[" + objfile.substring(objfile.lastIndexOf('/') + 1) + "]";
    }
    return "<unknown>";
  }

  /** Sum of the flat values of all nodes (signed). */
  long flatSum() {
    long sum = 0;
    for (Node n : nodes) {
      sum += n.flat;
    }
    return sum;
  }
}
