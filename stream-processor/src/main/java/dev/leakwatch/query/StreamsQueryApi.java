package dev.leakwatch.query;

import static dev.leakwatch.topology.TopologyNames.*;

import dev.leakwatch.detect.DetectionPolicy;
import dev.leakwatch.detect.ProfileKind;
import dev.leakwatch.detect.growth.LiveDetector;
import dev.leakwatch.query.SeriesAnswers.SiteSeries;
import dev.leakwatch.query.SuspectAnswers.Event;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;

/**
 * {@link QueryApi} over a running {@link KafkaStreams} instance: questions about one service go to
 * the owner of the service's partition, listings fan out to every instance, and the series of a
 * site on a page of live instances is gathered by {@link SiteSeriesPages}. Thread-safe.
 */
public final class StreamsQueryApi implements QueryApi {

  private final HostInfo self;
  private final LocalStores stores;
  private final StoreLayout layout;
  private final Supplier<DetectionPolicy> detection;
  private final Routing routing;
  private final FanOut fanOut;
  private final ServiceQueries stacks;
  private final SuspectQueries suspects;
  private final CatalogQueries catalog;
  private final SeriesQueries series;
  private final SiteSeriesPages seriesPages;
  private final LiveLabels liveLabels;
  private final Readiness readiness;
  private final long maxSpanMs;

  /**
   * @param self this instance's {@code application.server}
   * @param windowMs the topology's window size
   * @param maxSpanMs the longest range a query may ask for
   * @param clock wall clock, ms (default ranges of services without lifecycle state)
   * @param detection the topology's detection policy in force (it may be swapped while the processor runs):
   *     the service answers say how it judges, the series answers show the growth it judges
   */
  public StreamsQueryApi(KafkaStreams streams, HostInfo self, PeerClient peers, StoreLayout layout, long windowMs,
      long maxSpanMs, Retry retry, LongSupplier clock, Supplier<DetectionPolicy> detection) {
    this.stores = new LocalStores(streams);
    this.layout = layout;
    this.self = self;
    StreamsDirectory directory = StreamsDirectory.of(streams);
    this.routing = new Routing(new KeyRouter(directory, self), peers, retry);
    this.fanOut = new FanOut(directory, self, peers, layout, retry);
    this.stacks = new ServiceQueries(stores, windowMs, maxSpanMs, clock);
    this.suspects = new SuspectQueries(stores);
    this.catalog = new CatalogQueries(stores);
    this.detection = detection;
    this.series = new SeriesQueries(stores, maxSpanMs, new LiveDetector(detection));
    this.seriesPages = new SiteSeriesPages(routing, fanOut, catalog, series);
    this.liveLabels = new LiveLabels(fanOut, catalog);
    this.readiness = new Readiness(streams, stores, layout);
    this.maxSpanMs = maxSpanMs;
  }

  @Override
  public CatalogAnswers.Services services(ServicePage page, int instances) {
    InstancePage first = InstancePage.first(instances);
    String partial = ApiPaths.PART_SERVICES + "?limit=" + page.limit()
        + (page.after() == null ? "" : "&after=" + ApiPaths.query(page.after())) + instancesParams(first);
    return CatalogQueries.merge(fanOut.collect(INSTANCE_SERIES_STORE, p -> catalog.part(p, null, page, first),
        partial, CatalogAnswers.Part.class), page, first);
  }

  @Override
  public CatalogAnswers.ServiceInstances service(String service, InstancePage page) {
    CatalogAnswers.Services all = CatalogQueries.merge(fanOut.collect(INSTANCE_SERIES_STORE,
        p -> catalog.part(p, service, ServicePage.ALL, page), ApiPaths.PART_SERVICES + "?service="
            + ApiPaths.query(service) + instancesParams(page), CatalogAnswers.Part.class), ServicePage.ALL, page);
    if (all.services().isEmpty()) {
      throw new NotFoundException("no instance of any processor has a series of service '" + service + "'");
    }
    return CatalogAnswers.ServiceInstances.of(all.services().get(0),
        CatalogAnswers.ServiceDetection.of(detection.get(), service));
  }

  /**
   * The internal resource's parameters for {@code page}. {@code instances} is always sent: an
   * instance of a release before instance pages refuses it (the fan-out then answers 503) rather
   * than sending every instance of every service.
   */
  private static String instancesParams(InstancePage page) {
    return "&instances=" + page.limit()
        + (page.after() == null ? "" : "&instancesAfter=" + ApiPaths.query(page.after()));
  }

  /**
   * The page comes from the service's owner, the labels from a fan-out over the instances' series
   * ({@link LiveLabels}), added by the instance the client asked. Another instance asking (forwarded)
   * wants the owner's page alone: the asker adds the labels, or, for a site's series, needs none.
   */
  @Override
  public Routed<CatalogAnswers.LiveService> live(Call call, String service, InstancePage page) {
    if (call.forwarded()) {
      return routing.route(call, SUSPECT_LIFECYCLE_STORE, service, p -> catalog.live(service, p, page));
    }
    CatalogAnswers.LiveService live = routing.fetch(call.pathAndQuery(), SUSPECT_LIFECYCLE_STORE, service,
        p -> catalog.live(service, p, page), CatalogAnswers.LiveService.class);
    return new Routed.Local<>(liveLabels.add(service, page.after(), live), KeyRouter.name(self));
  }

  @Override
  public Routed<StackAnswers.Top> top(Call call, StackRequests.Top r) {
    return routing.route(call, SERVICE_WINDOWS_STORE, r.service(), p -> stacks.top(r, p));
  }

  @Override
  public Routed<StackAnswers.Diff> diff(Call call, StackRequests.Diff r) {
    return routing.route(call, SERVICE_WINDOWS_STORE, r.service(), p -> stacks.diff(r, p));
  }

  @Override
  public Routed<byte[]> profile(Call call, StackRequests.Profile r) {
    return routing.route(call, SERVICE_WINDOWS_STORE, r.service(), p -> stacks.profile(r, p));
  }

  @Override
  public SuspectAnswers.Listing suspects(SuspectFilter filter, SuspectPage page) {
    String status = filter.name().toLowerCase(Locale.ROOT);
    String partial = ApiPaths.PART_SUSPECTS + "?status=" + status + "&limit=" + page.limit()
        + (page.afterService() == null ? "" : "&after=" + ApiPaths.query(page.afterService() + "/" + page.afterId()));
    return SuspectQueries.merge(status, fanOut.collect(SUSPECT_LIFECYCLE_STORE,
        p -> suspects.currentPart(p, filter, page), partial, SuspectAnswers.Part.class), page);
  }

  @Override
  public SuspectAnswers.Detail suspect(String id) {
    List<SuspectAnswers.Part> parts = fanOut.collect(SUSPECT_LIFECYCLE_STORE, p -> suspects.byIdPart(p, id),
        ApiPaths.fill(ApiPaths.PART_SUSPECT, id), SuspectAnswers.Part.class);
    String service = parts.stream().flatMap(p -> p.suspects().stream()).map(SuspectAnswers.Suspect::service)
        .findFirst().orElse(parts.stream().flatMap(p -> p.events().stream()).map(Event::service)
            .findFirst().orElse(null));
    if (service == null) {
      throw new NotFoundException("no service has a suspect " + id
          + " (neither tracked now nor in the history's retention)");
    }
    return labelled(detail(service, id));
  }

  @Override
  public Routed<SuspectAnswers.SuspectList> serviceSuspects(Call call, String service, SuspectFilter filter) {
    return routing.route(call, SUSPECT_LIFECYCLE_STORE, service, p -> suspects.forService(service, p, filter));
  }

  /**
   * The suspect from its service's owner, with its labels added by the instance the client asked, as
   * {@link #live} does: another instance asking (forwarded) wants the owner's answer alone.
   */
  @Override
  public Routed<SuspectAnswers.Detail> serviceSuspect(Call call, String service, String id) {
    if (call.forwarded()) {
      return routing.route(call, SUSPECT_LIFECYCLE_STORE, service, p -> suspects.detail(service, p, id));
    }
    return new Routed.Local<>(labelled(detail(service, id)), KeyRouter.name(self));
  }

  /**
   * {@code d} with its labels section ({@link LabelContrast}): the first page of its service's live
   * instances, at most {@link LabelContrast#MAX_COUNTED}, from the owner, with their labels ({@link
   * LiveLabels}). A service without lifecycle state has no live instance. A failure that asking again
   * may cure (a rebalance) is a 503, as for every fan-out, rather than an answer whose section reads as
   * "no labels"; one that it cannot (an owner of a release before instance pages) leaves the section
   * out, so that the suspect is answered as before the section existed.
   */
  private SuspectAnswers.Detail labelled(SuspectAnswers.Detail d) {
    String service = d.suspect().service();
    CatalogAnswers.LiveService live;
    try {
      live = liveLabels.add(service, null, seriesPages.livePage(service, InstancePage.first(LabelContrast.MAX_COUNTED)));
    } catch (NotFoundException e) {
      live = new CatalogAnswers.LiveService(service, null, 0, 0, 0, 0, false, null, List.of());
    } catch (UnavailableException e) {
      if (e.retryable()) {
        throw e;
      }
      return d;
    }
    return new SuspectAnswers.Detail(d.suspect(), d.events(), LabelContrast.of(d.suspect().instances(), live));
  }

  @Override
  public Routed<SuspectAnswers.History> history(Call call, String service, RangeSpec range, int limit) {
    return routing.route(call, SUSPECT_HISTORY_STORE, service, p -> suspects.history(service, p,
        range.resolve(historyEnd(service, p), maxSpanMs, maxSpanMs), limit));
  }

  /**
   * Where a history's default range ends: at the service's latest capture or, when later, at its
   * newest event. A suspect is RESOLVED at its task's stream time, which other services move on: once
   * the service's instances are gone, that event lies after every capture of the service.
   */
  private long historyEnd(String service, int partition) {
    long latest = stacks.latest(service, partition);
    Long newestEvent = stores.newestWindowStart(SUSPECT_HISTORY_STORE, partition, service);
    return newestEvent == null ? latest : Math.max(latest, newestEvent);
  }

  @Override
  public Routed<SiteSeries> siteSeries(Call call, String service, long siteId, ProfileKind kind, String instance,
      RangeSpec range, InstancePage page) {
    if (instance == null) {
      return new Routed.Local<>(seriesPages.page(service, siteId, kind, range, page), KeyRouter.name(self));
    }
    return routing.route(call, INSTANCE_SERIES_STORE, StoreLayout.instancePartitionKey(service, instance),
        p -> SiteSeriesPages.part(service, siteId, kind,
            List.of(series.instance(service, instance, kind, siteId, range, p))));
  }

  @Override
  public SiteSeries suspectSeries(String service, String id, RangeSpec range, InstancePage page) {
    SuspectAnswers.Suspect s = detail(service, id).suspect();
    if (s.siteId() == null) {
      throw new NotFoundException("suspect " + id + " of service '" + service + "' is resolved: its site is no "
          + "longer tracked; the evidence of its events is in " + ApiPaths.fill(ApiPaths.SERVICE_SUSPECT, service, id));
    }
    return seriesPages.page(service, Params.hex64("siteId", s.siteId()), ProfileKind.fromName(s.seriesKind()), range,
        page);
  }

  @Override
  public CatalogAnswers.Part servicesPart(Set<Integer> partitions, String service, ServicePage page,
      InstancePage instances) {
    fanOut.requireExisting(INSTANCE_SERIES_STORE, partitions);
    return catalog.part(partitions, service, page, instances);
  }

  @Override
  public SiteSeries seriesPart(Set<Integer> partitions, String service, long siteId, ProfileKind kind,
      RangeSpec range, InstanceSpan span) {
    fanOut.requireExisting(INSTANCE_SERIES_STORE, partitions);
    return SiteSeriesPages.part(service, siteId, kind, series.ofService(service, kind, siteId, range, partitions, span));
  }

  @Override
  public CatalogAnswers.LabelsPart labelsPart(Set<Integer> partitions, String service, InstanceSpan span) {
    fanOut.requireExisting(INSTANCE_SERIES_STORE, partitions);
    return catalog.labelsPart(partitions, service, span);
  }

  @Override
  public SuspectAnswers.Part suspectsPart(Set<Integer> partitions, SuspectFilter filter, SuspectPage page) {
    fanOut.requireExisting(SUSPECT_LIFECYCLE_STORE, partitions);
    return suspects.currentPart(partitions, filter, page);
  }

  @Override
  public SuspectAnswers.Part suspectPart(Set<Integer> partitions, String id) {
    fanOut.requireExisting(SUSPECT_LIFECYCLE_STORE, partitions);
    return suspects.byIdPart(partitions, id);
  }

  @Override
  public List<String> readinessProblems() {
    return readiness.problems();
  }

  @Override
  public long maxSpanMs() {
    return maxSpanMs;
  }

  /**
   * Notes the stores' partition counts; call when this instance becomes {@code RUNNING}, so that
   * a part request for a partition that does not exist is refused with a 400 even while a later
   * rebalance moves the assignment ({@link FanOut#requireExisting}).
   */
  public void learnPartitionCounts() {
    fanOut.learnPartitionCounts();
  }

  /** Open suspects of the services whose partitions this instance holds (for metrics). */
  public long openSuspectsHere() {
    return suspects.countOpen(stores.activePartitions(layout.sourceTopic(SUSPECT_LIFECYCLE_STORE)));
  }

  private SuspectAnswers.Detail detail(String service, String id) {
    return routing.fetch(ApiPaths.fill(ApiPaths.SERVICE_SUSPECT, service, id), SUSPECT_LIFECYCLE_STORE, service,
        p -> suspects.detail(service, p, id), SuspectAnswers.Detail.class);
  }
}
