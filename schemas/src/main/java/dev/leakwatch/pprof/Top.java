package dev.leakwatch.pprof;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The rows of {@code go tool pprof -top} at its default granularity (functions): flat and cum per
 * function for one sample type, after pprof's node-fraction dropping and node-count selection.
 *
 * <p>Procedure, as pprof applies it: build the graph over all samples; drop functions whose |cum|
 * is below {@code nodeFraction} × (sum of flat values) and rebuild without them (their flat value
 * is lost, their callers' cum kept); sort; keep the first {@code nodeCount} and rebuild; sort
 * again. The report total is the sum of |value| over all samples, or over the base samples of a
 * diff (label {@code pprof::base=true}). The profile's drop_frames/keep_frames are not applied (Go
 * runtime profiles do not set them).
 */
public final class Top {
  /** Label that marks the negated base samples of a diff, as {@code -diff_base} does. */
  public static final String DIFF_BASE_LABEL = "pprof::base";

  private Top() {}

  /** Computes the report of {@code profile} with {@code options}. */
  public static TopReport of(Profile profile, TopOptions options) {
    int si = options.sampleIndex() < 0 ? profile.defaultSampleIndex() : options.sampleIndex();
    if (si < 0 || si >= profile.sampleTypes().size()) {
      throw new IllegalArgumentException("sample index " + si + " is outside [0.."
          + (profile.sampleTypes().size() - 1) + "]");
    }
    CallGraph g = new CallGraph(profile, si, null);
    long graphTotal = g.flatSum();
    long nodeCutoff = Math.abs((long) (graphTotal * options.nodeFraction()));
    long edgeCutoff = Math.abs((long) (graphTotal * options.edgeFraction()));
    int dropped = 0;
    if (nodeCutoff > 0) {
      Set<String> kept = new HashSet<>();
      for (CallGraph.Node n : g.nodes) {
        if (Math.abs(n.cum) >= nodeCutoff) {
          kept.add(n.key);
        }
      }
      if (kept.size() != g.nodes.size()) {
        dropped = g.nodes.size() - kept.size();
        g = new CallGraph(profile, si, kept);
      }
    }
    int originalCount = g.nodes.size();
    sort(g, options);
    if (options.nodeCount() > 0 && options.nodeCount() < g.nodes.size()) {
      Set<String> top = new HashSet<>();
      for (CallGraph.Node n : g.nodes.subList(0, options.nodeCount())) {
        top.add(n.key);
      }
      g = new CallGraph(profile, si, top);
      sort(g, options);
    }
    List<TopRow> rows = new ArrayList<>(g.nodes.size());
    for (CallGraph.Node n : g.nodes) {
      rows.add(new TopRow(n.name, n.flat, n.cum, inlining(n, edgeCutoff)));
    }
    return new TopReport(profile, si, rows, total(profile, si), dropped,
        Math.abs((long) (total(profile, si) * options.nodeFraction())), originalCount);
  }

  private static void sort(CallGraph g, TopOptions o) {
    g.nodes.sort(o.cumSort() ? CallGraph.CUM_ORDER : CallGraph.FLAT_ORDER);
  }

  /** Inlining as seen through the call edges that are not too light to show. */
  private static TopRow.Inlining inlining(CallGraph.Node n, long edgeCutoff) {
    boolean inline = false;
    boolean normal = false;
    for (CallGraph.Edge e : n.in.values()) {
      if (Math.abs(e.weight) < edgeCutoff) {
        continue;
      }
      if (e.inline) {
        inline = true;
      } else {
        normal = true;
      }
    }
    if (!inline) {
      return TopRow.Inlining.NONE;
    }
    return normal ? TopRow.Inlining.PARTIAL : TopRow.Inlining.INLINE;
  }

  /** Sum of |value| over all samples, or over the diff base samples if there are any. */
  static long total(Profile profile, int si) {
    long all = 0;
    long base = 0;
    for (Sample s : profile.samples()) {
      long v = Math.abs(s.value(si));
      all += v;
      List<String> mark = s.labels().get(DIFF_BASE_LABEL);
      if (mark != null && mark.contains("true")) {
        base += v;
      }
    }
    return base > 0 ? base : all;
  }

  /**
   * Resolves a sample type the way pprof's {@code -sample_index} does: "" for the profile's
   * default, a number for that index, or a type name (an {@code inuse_} prefix may be left out).
   *
   * @throws IllegalArgumentException naming the valid choices if nothing matches
   */
  public static int sampleIndex(Profile profile, String nameOrIndex) {
    List<ValueType> types = profile.sampleTypes();
    if (nameOrIndex == null || nameOrIndex.isEmpty()) {
      return profile.defaultSampleIndex();
    }
    if (nameOrIndex.chars().allMatch(Character::isDigit)) {
      int i = nameOrIndex.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(nameOrIndex);
      if (i >= types.size()) {
        throw new IllegalArgumentException("sample_index " + nameOrIndex
            + " is outside the range [0.." + (types.size() - 1) + "]");
      }
      return i;
    }
    String noInuse = nameOrIndex.startsWith("inuse_") ? nameOrIndex.substring(6) : nameOrIndex;
    for (int i = 0; i < types.size(); i++) {
      String t = types.get(i).type();
      if (t.equals(nameOrIndex) || t.equals(noInuse)) {
        return i;
      }
    }
    throw new IllegalArgumentException("sample_index \"" + nameOrIndex + "\" must be one of: "
        + types.stream().map(ValueType::type).toList());
  }
}
