package dev.leakwatch.query;

import java.util.List;
import java.util.SortedMap;

/** The JSON answers about one detection site's values per instance: the evidence behind a suspect. */
public final class SeriesAnswers {

  private SeriesAnswers() {}

  /** The site's value at one capture. */
  public record Point(String time, long timeMs, long value) {}

  /**
   * A site on one instance, from the instance's detection series (the last captures of its current
   * process generation only; see {@code detection.windowCaptures}).
   *
   * @param kind heap, goroutine or goroutineleak
   * @param tracked whether the series tracks the site (it keeps a bounded set of the heaviest sites)
   * @param generation the series' generation: it restarts after a process restart or a long gap
   * @param generationStart capture time that began the current generation; null without a series
   * @param growth the site's growth on this instance as detection judged it at the instance's latest
   *     capture; null when detection computed no rate there (see {@link Growth}), when the instance
   *     does not track the site, and in the part of an instance of a release before this field
   * @param points the known values within the range, oldest first
   * @param labels the labels of the series' latest capture, by name ({@code {}} when it carried none);
   *     null without a series, and in the part of an instance of a release before labels
   * @param labelsTruncated whether the series dropped some of those labels (docs/API.md)
   */
  public record InstanceSeries(String service, String instance, String kind, String siteId, boolean tracked,
      int generation, String generationStart, Growth growth, List<Point> points, SortedMap<String, String> labels,
      boolean labelsTruncated) {}

  /**
   * A site's growth on one instance: the slope detection computed over the window it judged at the
   * instance's latest capture (the site's known values in the current generation, at most {@code
   * detection.windowCaptures}), whatever the answer's range. Of a heap or goroutine series, detection
   * computes a slope only for a window of at least {@code minCaptures} captures spanning {@code
   * minSpan} with a significant upward trend (guards 1 and 2 of docs/DETECTION.md section 4); of a
   * goroutineleak series, for any two captures. Of any other window there is no figure.
   *
   * @param ratePerHour the Theil–Sen slope, in the series' unit (bytes or goroutines) per hour; for
   *     goroutineleak, the average rate between the window's first and last count
   * @param verdict {@code GROWING} when this instance reports the site as growing, else the detection
   *     guard that held it back ({@code WARMING_UP}, {@code NOT_SEPARATED}, ...), or {@code NOT_JUDGED} when
   *     every guard passed but the service's detection rule turns judging off
   * @param points the captures in the window
   * @param from the window's first capture time
   * @param to the window's last capture time: the instance's latest capture
   */
  public record Growth(double ratePerHour, String verdict, int points, String from, String to) {}

  /**
   * A site's series on a page of the live instances of its service (by name), on one instance, or
   * in a fan-out part.
   *
   * @param instanceCount every live instance of the service; null on one instance and in a part
   * @param count the instances in {@code instances}
   * @param truncated whether live instances follow the page
   * @param next the {@code after} of the next page (the page's last instance) when truncated, else null
   */
  public record SiteSeries(String service, String siteId, String kind, String unit, Integer instanceCount, int count,
      boolean truncated, String next, List<InstanceSeries> instances) {}
}
