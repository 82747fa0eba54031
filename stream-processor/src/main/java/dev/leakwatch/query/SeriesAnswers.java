package dev.leakwatch.query;

import java.util.List;

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
   * @param points the known values within the range, oldest first
   */
  public record InstanceSeries(String service, String instance, String kind, String siteId, boolean tracked,
      int generation, String generationStart, List<Point> points) {}

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
