package dev.leakwatch.pprof;

/**
 * Options of a {@link Top} report, with {@code go tool pprof}'s defaults.
 *
 * @param sampleIndex index of the sample type to report, or -1 for the profile's default
 * @param nodeCount most rows to show (pprof's {@code -nodecount}); 0 shows all rows left after
 *     node-fraction dropping
 * @param nodeFraction drop functions whose |cum| is below this share of the total flat value
 *     (pprof's {@code -nodefraction}, default 0.005)
 * @param edgeFraction ignore call edges below this share when labelling inlined functions (pprof's
 *     {@code -edgefraction}, default 0.001)
 * @param cumSort order rows by cum instead of flat (pprof's {@code -cum})
 */
public record TopOptions(
    int sampleIndex, int nodeCount, double nodeFraction, double edgeFraction, boolean cumSort) {

  public TopOptions {
    if (sampleIndex < -1) {
      throw new IllegalArgumentException("sampleIndex must be >= -1, got " + sampleIndex);
    }
    if (nodeCount < 0) {
      throw new IllegalArgumentException("nodeCount must be >= 0, got " + nodeCount);
    }
    if (!(nodeFraction >= 0 && nodeFraction <= 1) || !(edgeFraction >= 0 && edgeFraction <= 1)) {
      throw new IllegalArgumentException("fractions must be within [0, 1]");
    }
  }

  /** The profile's default sample type, all rows, pprof's fractions, sorted by flat. */
  public static TopOptions defaults() {
    return new TopOptions(-1, 0, 0.005, 0.001, false);
  }

  public TopOptions withSampleIndex(int v) {
    return new TopOptions(v, nodeCount, nodeFraction, edgeFraction, cumSort);
  }

  public TopOptions withNodeCount(int v) {
    return new TopOptions(sampleIndex, v, nodeFraction, edgeFraction, cumSort);
  }

  public TopOptions withNodeFraction(double v) {
    return new TopOptions(sampleIndex, nodeCount, v, edgeFraction, cumSort);
  }

  public TopOptions withCumSort(boolean v) {
    return new TopOptions(sampleIndex, nodeCount, nodeFraction, edgeFraction, v);
  }
}
