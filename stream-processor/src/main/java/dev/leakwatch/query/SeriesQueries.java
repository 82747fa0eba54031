package dev.leakwatch.query;

import dev.leakwatch.detect.ProfileKind;
import dev.leakwatch.detect.StateFormatException;
import dev.leakwatch.detect.growth.InstanceDetector;
import dev.leakwatch.detect.growth.SiteJudgement;
import dev.leakwatch.detect.series.InstanceSeries;
import dev.leakwatch.detect.series.TrackedSite;
import dev.leakwatch.query.SeriesAnswers.Point;
import dev.leakwatch.topology.TopologyNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One site's values on one instance, from {@code instance-series} (key {@code
 * service/instance/KIND}, on the partition of the input key {@code service/instance}). The
 * default range ends at the instance's latest capture of that kind.
 */
public final class SeriesQueries {

  private final LocalStores stores;
  private final long maxSpanMs;
  private final Supplier<InstanceDetector> detection;

  /**
   * @param detection the detector the topology runs (of the policy in force), whose judgement growth shows
   */
  public SeriesQueries(LocalStores stores, long maxSpanMs, Supplier<InstanceDetector> detection) {
    this.stores = stores;
    this.maxSpanMs = maxSpanMs;
    this.detection = detection;
  }

  /** Site {@code siteId}'s known values on the instance within {@code range}, oldest first. */
  public SeriesAnswers.InstanceSeries instance(String service, String instance, ProfileKind kind, long siteId,
      RangeSpec range, int partition) {
    String key = StoreLayout.instancePartitionKey(service, instance) + "/" + kind.name();
    return answer(service, instance, kind, siteId, range, stores.get(TopologyNames.INSTANCE_SERIES_STORE, partition, key));
  }

  /**
   * The same for every instance of {@code service} within {@code span} that has a series of {@code
   * kind} in {@code partitions}, in key order: one scan of the service's keys, however many
   * instances it has; only the span's series are read and answered.
   */
  public List<SeriesAnswers.InstanceSeries> ofService(String service, ProfileKind kind, long siteId, RangeSpec range,
      Set<Integer> partitions, InstanceSpan span) {
    List<SeriesAnswers.InstanceSeries> out = new ArrayList<>();
    String suffix = "/" + kind.name();
    // Service names hold no '/', so "s/" .. "s0" ('/' + 1) brackets exactly the keys of service s.
    stores.range(TopologyNames.INSTANCE_SERIES_STORE, partitions, service + "/", service + "0", (key, bytes) -> {
      if (key.endsWith(suffix) && key.length() > service.length() + 1 + suffix.length()) {
        String instance = key.substring(service.length() + 1, key.length() - suffix.length());
        if (span.holds(instance)) {
          out.add(answer(service, instance, kind, siteId, range, bytes));
        }
      }
    });
    return out;
  }

  /** The answer for an instance without a series of the kind. */
  public static SeriesAnswers.InstanceSeries none(String service, String instance, ProfileKind kind, long siteId) {
    return new SeriesAnswers.InstanceSeries(service, instance, kind.endpointName(), FrameLookup.hex(siteId), false, 0,
        null, null, List.of(), null, false);
  }

  private SeriesAnswers.InstanceSeries answer(String service, String instance, ProfileKind kind, long siteId,
      RangeSpec range, byte[] bytes) {
    InstanceSeries series;
    try {
      series = bytes == null ? null : InstanceSeries.fromBytes(bytes);
    } catch (StateFormatException e) {
      series = null;
    }
    String site = FrameLookup.hex(siteId);
    if (series == null || series.size() == 0) {
      return none(service, instance, kind, siteId);
    }
    // A lower bound after the instance's latest capture, with no upper bound, asks for nothing this
    // instance has: no points, rather than a range whose default end lies before its start.
    boolean afterLatest = range.toMs() == null && range.fromMs() != null && range.fromMs() > series.lastTimeMs();
    TimeRange r = afterLatest ? null : range.resolve(series.lastTimeMs(), maxSpanMs);
    TrackedSite tracked = series.sites().stream().filter(t -> t.id() == siteId).findFirst().orElse(null);
    List<Point> points = new ArrayList<>();
    if (tracked != null && r != null) {
      long[] values = tracked.knownValues();
      int first = series.size() - values.length;
      for (int i = 0; i < values.length; i++) {
        long t = series.timeMs(first + i);
        if (t >= r.fromMs() && t < r.toMs()) {
          points.add(new Point(TimeRange.iso(t), t, values[i]));
        }
      }
    }
    return new SeriesAnswers.InstanceSeries(service, instance, kind.endpointName(), site, tracked != null,
        series.generation(), TimeRange.iso(series.generationStartMs()), growth(service, series, tracked), points,
        series.labels().asMap(), series.labels().truncated());
  }

  /**
   * The growth detection sees of {@code tracked} at the series' latest capture ({@link
   * InstanceDetector#judgeLatest}); null when it computed no rate (too few captures or too short a
   * span in the current generation, no significant upward trend, the site absent from that capture)
   * or the site is not tracked.
   */
  private SeriesAnswers.Growth growth(String service, InstanceSeries series, TrackedSite tracked) {
    SiteJudgement j = tracked == null ? null : detection.get().judgeLatest(service, series, tracked);
    if (j == null || Double.isNaN(j.slopePerHour())) {
      return null;
    }
    int n = tracked.known();
    return new SeriesAnswers.Growth(j.slopePerHour(), j.verdict().name(), n,
        TimeRange.iso(series.timeMs(series.size() - n)), TimeRange.iso(series.lastTimeMs()));
  }
}
