package dev.leakwatch.query;

import dev.leakwatch.detect.SiteFrame;
import java.util.List;

/**
 * The JSON answers about a service's stacks over time ranges (top, diff). Values are sums over the
 * range's windows: in-use and goroutine values summed over every capture of every instance,
 * allocations summed over the range (see docs/API.md); {@code perCapture} divides by the number of
 * captures of the section, which makes ranges of different lengths comparable.
 */
public final class StackAnswers {
  /** How many instance names a top list or a diff side lists; the count says how many there are. */
  public static final int LISTED_INSTANCES = 100;


  private StackAnswers() {}

  /** One frame of a stack. */
  public record Frame(String function, String file, long line) {
    static Frame of(SiteFrame f) {
      return new Frame(f.function(), f.file(), f.line());
    }
  }

  /**
   * The windows a range selected.
   *
   * @param from start of the first selected window (ISO-8601)
   * @param to end of the last selected window, exclusive
   * @param windowMs window size
   * @param windows windows that held data
   */
  public record Range(String from, String to, long fromMs, long toMs, long windowMs, int windows) {
    static Range of(TimeRange r, long windowMs, int windows) {
      TimeRange a = r.alignedTo(windowMs);
      return new Range(TimeRange.iso(a.fromMs()), TimeRange.iso(a.toMs()), a.fromMs(), a.toMs(), windowMs, windows);
    }
  }

  /**
   * A stack in a top list.
   *
   * @param stackId 16 hex digits; {@code 0000000000000000} sums the stacks cut by size caps
   * @param leaf the innermost frame (the allocation or blocking site)
   * @param depth frames in the full stack
   * @param frames the stack, leaf first, at most the requested number of frames
   * @param sum the metric summed over the range
   * @param perCapture {@code sum} / captures of the section in the range
   * @param share {@code sum} / the metric's total over all stacks
   */
  public record Row(String stackId, Frame leaf, int depth, List<Frame> frames, long sum, double perCapture,
      double share) {}

  /**
   * The heaviest stacks of a service over a range.
   *
   * @param instances the first {@link #LISTED_INSTANCES} names, in order, of the
   *     instances that contributed to the range
   * @param instanceCount how many contributed
   * @param instancesTruncated whether {@code instances} leaves some out
   */
  public record Top(String service, String metric, String unit, Range range, long captures, List<String> instances,
      int instanceCount, boolean instancesTruncated, long totalSum, double totalPerCapture, int stacks,
      List<Row> top) {}

  /**
   * A stack compared between two ranges, per capture.
   *
   * @param base value per capture in the base range
   * @param target value per capture in the target range
   * @param delta {@code target - base}
   * @param relative {@code delta / base}; null when the stack was absent from the base range
   */
  public record DiffRow(String stackId, Frame leaf, int depth, List<Frame> frames, double base, double target,
      double delta, Double relative) {}

  /** One side of a diff; {@code instances} as in {@link Top}. */
  public record DiffSide(Range range, long captures, List<String> instances, int instanceCount,
      boolean instancesTruncated, double totalPerCapture) {}

  /**
   * Two ranges of a service compared: the stacks that grew most in absolute terms ({@code delta},
   * stacks new in the target included) and in relative terms ({@code relative}, stacks present in
   * the base only).
   */
  public record Diff(String service, String metric, String unit, DiffSide base, DiffSide target,
      List<DiffRow> grewMost, List<DiffRow> grewMostRelative) {}
}
