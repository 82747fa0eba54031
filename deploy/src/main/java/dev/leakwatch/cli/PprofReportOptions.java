package dev.leakwatch.cli;

import dev.leakwatch.pprof.Profile;
import dev.leakwatch.pprof.Top;
import dev.leakwatch.pprof.TopOptions;
import picocli.CommandLine.Option;

/** The report options shared by {@code pprof top} and {@code pprof diff} (a picocli mixin). */
final class PprofReportOptions {
  @Option(names = {"--sample-index", "-sample_index"}, paramLabel = "NAME",
      description = "Sample type to report, by name (e.g. inuse_space, alloc_objects, goroutine) "
          + "or index; default: the profile's default type.")
  String sampleIndex = "";

  @Option(names = {"--nodecount", "-nodecount"}, paramLabel = "N",
      description = "Show at most N functions (default: all left after dropping).")
  int nodeCount;

  @Option(names = {"--nodefraction", "-nodefraction"}, paramLabel = "F",
      description = "Drop functions whose cum is below this fraction of the total "
          + "(default: ${DEFAULT-VALUE}).")
  double nodeFraction = 0.005;

  @Option(names = {"--cum", "-cum"}, description = "Sort by cumulative value instead of flat.")
  boolean cum;

  /**
   * @throws IllegalArgumentException if the sample type does not exist or a value is out of range
   */
  TopOptions toTopOptions(Profile p) {
    return TopOptions.defaults()
        .withSampleIndex(Top.sampleIndex(p, sampleIndex))
        .withNodeCount(nodeCount)
        .withNodeFraction(nodeFraction)
        .withCumSort(cum);
  }
}
