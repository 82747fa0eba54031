package dev.leakwatch.query;

import static dev.leakwatch.topology.TopologyNames.INSTANCE_SERIES_STORE;

import dev.leakwatch.query.CatalogAnswers.Entry;
import dev.leakwatch.query.CatalogAnswers.LabelsPart;
import dev.leakwatch.query.CatalogAnswers.LiveInstance;
import dev.leakwatch.query.CatalogAnswers.LiveService;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Adds each live instance's labels to a page of a service's live instances. The page comes from the
 * service's owner (its lifecycle knows no labels); the labels are kept in the instances' series,
 * spread over every processor instance's partitions by {@code service/instance}: one fan-out part per
 * processor instance, each a scan of the service's keys in its partitions that answers only the
 * instances within the page's names, as the site series across instances does ({@link
 * SiteSeriesPages}). Thread-safe.
 */
final class LiveLabels {

  private final FanOut fanOut;
  private final CatalogQueries catalog;

  LiveLabels(FanOut fanOut, CatalogQueries catalog) {
    this.fanOut = fanOut;
    this.catalog = catalog;
  }

  /**
   * {@code live}, a page of {@code service}'s live instances after {@code after}, with labels. When a
   * processor instance cannot say for good (an instance of a release before labels refuses the part,
   * which asking again does not change), the page is answered without them (labels null) rather than
   * not at all; a failure that asking again may cure (a rebalance) is a 503, as for every fan-out.
   */
  LiveService add(String service, String after, LiveService live) {
    List<LiveInstance> instances = live.instances();
    if (instances.isEmpty()) {
      return live;
    }
    InstanceSpan span = new InstanceSpan(after, instances.get(instances.size() - 1).instance());
    String partial = ApiPaths.PART_LABELS + "?service=" + ApiPaths.query(service)
        + (span.after() == null ? "" : "&after=" + ApiPaths.query(span.after()))
        + "&through=" + ApiPaths.query(span.through());
    Map<String, Entry> latest = new HashMap<>();
    try {
      for (LabelsPart part : fanOut.collect(INSTANCE_SERIES_STORE, p -> catalog.labelsPart(p, service, span),
          partial, LabelsPart.class)) {
        part.instances().forEach(e -> latest.put(e.instance(), e));
      }
    } catch (UnavailableException e) {
      if (e.retryable()) {
        throw e;
      }
      return live;
    }
    List<LiveInstance> labelled = instances.stream().map(i -> i.labelled(latest.get(i.instance()))).toList();
    return new LiveService(live.service(), live.latestCapture(), live.openSuspects(), live.candidateSuspects(),
        live.instanceCount(), live.count(), live.truncated(), live.next(), labelled);
  }
}
