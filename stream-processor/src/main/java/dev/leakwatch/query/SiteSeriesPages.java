package dev.leakwatch.query;

import static dev.leakwatch.topology.TopologyNames.INSTANCE_SERIES_STORE;
import static dev.leakwatch.topology.TopologyNames.SUSPECT_LIFECYCLE_STORE;

import dev.leakwatch.detect.ProfileKind;
import dev.leakwatch.detect.SuspectKind;
import dev.leakwatch.query.SeriesAnswers.InstanceSeries;
import dev.leakwatch.query.SeriesAnswers.SiteSeries;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A site's series on one page of a service's live instances (by name): the page comes from the
 * service's owner, then one fan-out part per processor instance, each a scan of the service's keys
 * in its partitions that answers only the instances within the page's names (not one request per
 * service instance, which took seconds for a service of thousands). Thread-safe.
 */
final class SiteSeriesPages {

  private final Routing routing;
  private final FanOut fanOut;
  private final CatalogQueries catalog;
  private final SeriesQueries series;

  SiteSeriesPages(Routing routing, FanOut fanOut, CatalogQueries catalog, SeriesQueries series) {
    this.routing = routing;
    this.fanOut = fanOut;
    this.catalog = catalog;
    this.series = series;
  }

  /** The site's series on {@code page} of the service's live instances, in name order. */
  SiteSeries page(String service, long siteId, ProfileKind kind, RangeSpec range, InstancePage page) {
    CatalogAnswers.LiveService live = livePage(service, page);
    List<CatalogAnswers.LiveInstance> instances = live.instances();
    Map<String, InstanceSeries> found = new HashMap<>();
    if (!instances.isEmpty()) {
      InstanceSpan span = new InstanceSpan(page.after(), instances.get(instances.size() - 1).instance());
      String partial = ApiPaths.PART_SERIES + "?service=" + ApiPaths.query(service) + "&site="
          + FrameLookup.hex(siteId) + "&kind=" + kind.endpointName()
          + (range.fromMs() == null ? "" : "&" + range.fromParam() + "=" + range.fromMs())
          + (range.toMs() == null ? "" : "&" + range.toParam() + "=" + range.toMs())
          + (span.after() == null ? "" : "&after=" + ApiPaths.query(span.after()))
          + "&through=" + ApiPaths.query(span.through());
      for (SiteSeries part : fanOut.collect(INSTANCE_SERIES_STORE,
          p -> part(service, siteId, kind, series.ofService(service, kind, siteId, range, p, span)), partial,
          SiteSeries.class)) {
        part.instances().forEach(i -> found.put(i.instance(), i));
      }
    }
    List<InstanceSeries> out = new ArrayList<>();
    for (CatalogAnswers.LiveInstance i : instances) {
      InstanceSeries s = found.get(i.instance());
      out.add(s != null ? s : SeriesQueries.none(service, i.instance(), kind, siteId));
    }
    return new SiteSeries(service, FrameLookup.hex(siteId), kind.endpointName(), unit(kind), live.instanceCount(),
        out.size(), live.truncated(), live.next(), out);
  }

  /** A site's series on one instance, or an internal part: neither counts nor a next page. */
  static SiteSeries part(String service, long siteId, ProfileKind kind, List<InstanceSeries> instances) {
    return new SiteSeries(service, FrameLookup.hex(siteId), kind.endpointName(), unit(kind), null, instances.size(),
        false, null, instances);
  }

  private static String unit(ProfileKind kind) {
    return kind.suspectKind() == SuspectKind.HEAP ? "bytes" : "goroutines";
  }

  /**
   * The page of the service's live instances, from its owner. The default first page is asked
   * without parameters, so that an owner of the release before instance pages (which takes none
   * and answers every live instance, without counts) still serves it: the page is then cut here.
   * Any other page, refused by such an owner, is a 503 that asking again cannot help.
   */
  CatalogAnswers.LiveService livePage(String service, InstancePage page) {
    boolean plain = page.after() == null && page.limit() == InstancePage.DEFAULT_LIMIT;
    String path = ApiPaths.fill(ApiPaths.INSTANCES, service) + (plain ? "" : "?limit=" + page.limit()
        + (page.after() == null ? "" : "&after=" + ApiPaths.query(page.after())));
    CatalogAnswers.LiveService live;
    try {
      live = routing.fetch(path, SUSPECT_LIFECYCLE_STORE, service, p -> catalog.live(service, p, page),
          CatalogAnswers.LiveService.class);
    } catch (InvalidParameterException e) {
      // this instance checked the page already: the owner runs a release that takes no page
      throw new UnavailableException("the owner of service '" + service + "' refused a page of its live "
          + "instances (an instance of an older release?): " + e.getMessage(), false, List.of());
    }
    if (live.instanceCount() >= live.instances().size()) {
      return live;
    }
    // an older owner's answer: every live instance, with neither counts nor truncated
    Map<String, CatalogAnswers.LiveInstance> byName = new TreeMap<>();
    live.instances().forEach(i -> byName.put(i.instance(), i));
    return CatalogAnswers.LiveService.of(service, live.latestCapture(), live.openSuspects(),
        live.candidateSuspects(), byName.size(), page.cut(byName, (name, i) -> i));
  }
}
