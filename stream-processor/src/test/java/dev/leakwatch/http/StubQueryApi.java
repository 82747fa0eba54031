package dev.leakwatch.http;

import dev.leakwatch.detect.ProfileKind;
import dev.leakwatch.query.CatalogAnswers;
import dev.leakwatch.query.Call;
import dev.leakwatch.query.InstancePage;
import dev.leakwatch.query.InstanceSpan;
import dev.leakwatch.query.NotFoundException;
import dev.leakwatch.query.QueryApi;
import dev.leakwatch.query.RangeSpec;
import dev.leakwatch.query.Routed;
import dev.leakwatch.query.Routing;
import dev.leakwatch.query.SeriesAnswers;
import dev.leakwatch.query.ServicePage;
import dev.leakwatch.query.StackRequests;
import dev.leakwatch.query.SuspectAnswers;
import dev.leakwatch.query.SuspectFilter;
import dev.leakwatch.query.SuspectPage;
import dev.leakwatch.topology.TopologyNames;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link QueryApi} for testing the HTTP layer alone: records the validated requests it receives
 * and answers with small fixed values, or throws {@link #failure} when set. Service {@code ghost}
 * is unknown.
 */
final class StubQueryApi implements QueryApi {

  final List<Object> received = Collections.synchronizedList(new ArrayList<>());
  volatile RuntimeException failure;
  volatile List<String> problems = List.of();
  /** When set, every query (not the internal parts) waits for it to open, after counting itself in {@link #held}. */
  volatile CountDownLatch hold;
  final AtomicInteger held = new AtomicInteger();
  /** When set, top requests are routed by it (to the owner it finds), as the real API routes them. */
  volatile Routing topRouting;
  /** The body every profile request is answered (a gzip header by default; larger for clients that leave mid-answer). */
  volatile byte[] profile = {0x1f, (byte) 0x8b};

  private <T> Routed<T> answer(Object request, T value) {
    received.add(request);
    CountDownLatch h = hold;
    if (h != null) {
      held.incrementAndGet();
      try {
        h.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while held", e);
      }
    }
    if (failure != null) {
      throw failure;
    }
    return new Routed.Local<>(value, "stub:1");
  }

  /** An internal part: recorded, failed when {@link #failure} is set, never held. */
  private void part(Object request) {
    received.add(request);
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public CatalogAnswers.Services services(ServicePage page, int instances) {
    answer(page, null);
    return new CatalogAnswers.Services(0, false, null, List.of());
  }

  @Override
  public CatalogAnswers.ServiceInstances service(String service, InstancePage page) {
    if (service.equals("ghost")) {
      throw new NotFoundException("no instance of any processor has a series of service 'ghost'");
    }
    answer(service, null);
    return new CatalogAnswers.ServiceInstances(service, List.of("heap"), "1970-01-01T00:00:00Z", 0, 0, false, 0, false,
        null, List.of(), new CatalogAnswers.ServiceDetection(null, List.of(), true, new java.util.TreeMap<>()));
  }

  @Override
  public Routed<CatalogAnswers.LiveService> live(Call call, String service, InstancePage page) {
    return answer(call, new CatalogAnswers.LiveService(service, null, 0, 0, 0, 0, false, null, List.of()));
  }

  @Override
  public Routed<dev.leakwatch.query.StackAnswers.Top> top(Call call, StackRequests.Top request) {
    Routing r = topRouting;
    if (r != null) {
      received.add(request);
      return r.route(call, TopologyNames.SERVICE_WINDOWS_STORE, request.service(), partition -> null);
    }
    return answer(request, null);
  }

  @Override
  public Routed<dev.leakwatch.query.StackAnswers.Diff> diff(Call call, StackRequests.Diff request) {
    return answer(request, null);
  }

  @Override
  public Routed<byte[]> profile(Call call, StackRequests.Profile request) {
    return answer(request, profile);
  }

  @Override
  public SuspectAnswers.Listing suspects(SuspectFilter filter, SuspectPage page) {
    answer(page, null);
    return new SuspectAnswers.Listing(filter.name(), 0, false, null, List.of());
  }

  @Override
  public SuspectAnswers.Detail suspect(String id) {
    answer(id, null);
    return new SuspectAnswers.Detail(null, List.of());
  }

  @Override
  public Routed<SuspectAnswers.SuspectList> serviceSuspects(Call call, String service, SuspectFilter filter) {
    return answer(filter, null);
  }

  @Override
  public Routed<SuspectAnswers.Detail> serviceSuspect(Call call, String service, String id) {
    return answer(id, null);
  }

  @Override
  public Routed<SuspectAnswers.History> history(Call call, String service, RangeSpec range, int limit) {
    return answer(range, null);
  }

  @Override
  public Routed<SeriesAnswers.SiteSeries> siteSeries(Call call, String service, long siteId, ProfileKind kind,
      String instance, RangeSpec range, InstancePage page) {
    return answer(instance, null);
  }

  @Override
  public SeriesAnswers.SiteSeries suspectSeries(String service, String id, RangeSpec range, InstancePage page) {
    answer(range, null);
    return null;
  }

  @Override
  public CatalogAnswers.Part servicesPart(Set<Integer> partitions, String service, ServicePage page,
      InstancePage instances) {
    part(partitions);
    return new CatalogAnswers.Part(List.of(), false, List.of());
  }

  @Override
  public CatalogAnswers.LabelsPart labelsPart(Set<Integer> partitions, String service, InstanceSpan span) {
    part(partitions);
    return new CatalogAnswers.LabelsPart(List.of());
  }

  @Override
  public SeriesAnswers.SiteSeries seriesPart(Set<Integer> partitions, String service, long siteId, ProfileKind kind,
      RangeSpec range, InstanceSpan span) {
    part(partitions);
    return new SeriesAnswers.SiteSeries(service, Long.toHexString(siteId), kind.endpointName(), "bytes", null, 0,
        false, null, List.of());
  }

  @Override
  public SuspectAnswers.Part suspectsPart(Set<Integer> partitions, SuspectFilter filter, SuspectPage page) {
    part(partitions);
    return new SuspectAnswers.Part(List.of(), List.of());
  }

  @Override
  public SuspectAnswers.Part suspectPart(Set<Integer> partitions, String id) {
    part(partitions);
    return new SuspectAnswers.Part(List.of(), List.of());
  }

  @Override
  public List<String> readinessProblems() {
    return problems;
  }

  @Override
  public long maxSpanMs() {
    return 7L * 24 * 3_600_000;
  }
}
