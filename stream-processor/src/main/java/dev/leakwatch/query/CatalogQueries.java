package dev.leakwatch.query;

import dev.leakwatch.detect.ProfileKind;
import dev.leakwatch.detect.StateFormatException;
import dev.leakwatch.detect.lifecycle.ServiceSuspects;
import dev.leakwatch.detect.lifecycle.SuspectState;
import dev.leakwatch.detect.series.InstanceSeriesCodec;
import dev.leakwatch.detect.series.RestartSignal;
import dev.leakwatch.query.CatalogAnswers.Entry;
import dev.leakwatch.topology.TopologyNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which services and instances exist: the listing comes from the per-instance series (keys
 * {@code service/instance/KIND}, spread over every instance's partitions, hence a fan-out), the
 * live view of one service from its lifecycle state.
 */
public final class CatalogQueries {

  private final LocalStores stores;

  public CatalogQueries(LocalStores stores) {
    this.stores = stores;
  }

  /**
   * Every series in {@code partitions} of {@code instance-series}: service, instance, profile type
   * and latest capture. Only {@code service}'s when it is not null; else only those of the first
   * {@code page.limit()} services after {@code page.after()}, so that a part never holds more than a
   * page of services however many the partitions hold. Of each service, the entries of the
   * instances of {@code instances} only, with a {@link CatalogAnswers.Summary} over all of them, so
   * that a part never holds more than a page of instances per service either.
   */
  public CatalogAnswers.Part part(Set<Integer> partitions, String service, ServicePage page, InstancePage instances) {
    TreeMap<String, ServiceTally> kept = new TreeMap<>();
    boolean[] more = {false};
    // Service names hold no '/', so "s/" .. "s0" ('/' + 1) brackets exactly the keys of service s.
    String from = service == null ? scanStart(page) : service + "/";
    String to = service == null ? null : service + "0";
    stores.range(TopologyNames.INSTANCE_SERIES_STORE, partitions, from, to, (key, bytes) -> {
      int first = key.indexOf('/');
      int last = key.lastIndexOf('/');
      if (first <= 0 || last <= first + 1) {
        return;
      }
      String name = key.substring(0, first);
      if (!page.admits(name)) {
        return;
      }
      // keys come in key order, which is not service order ("a-b/..." sorts before "a/..."): keep
      // the first services seen so far, dropping the greatest when there is one too many. Judged
      // before the value is read: a fleet's listing page must not cost a read of every series.
      if (kept.size() >= page.limit() && !kept.containsKey(name) && name.compareTo(kept.lastKey()) > 0) {
        more[0] = true;
        return;
      }
      Entry e = entry(key, bytes);
      if (e == null) {
        return;
      }
      kept.computeIfAbsent(name, k -> new ServiceTally(k, instances)).add(e);
      if (kept.size() > page.limit()) {
        kept.pollLastEntry();
        more[0] = true;
      }
    });
    List<Entry> out = new ArrayList<>();
    List<CatalogAnswers.Summary> summaries = new ArrayList<>();
    for (ServiceTally t : kept.values()) {
      t.entriesTo(out);
      summaries.add(t.summary());
    }
    return new CatalogAnswers.Part(out, more[0], summaries);
  }

  /**
   * The labels of {@code service}'s instances within {@code span} that have a series in {@code
   * partitions}: per instance, the entry of its latest series ({@link Entry#latest}), by name. One
   * scan of the service's keys, reading each series' header, times and labels only.
   */
  public CatalogAnswers.LabelsPart labelsPart(Set<Integer> partitions, String service, InstanceSpan span) {
    ServiceTally tally = new ServiceTally(service, InstancePage.all());
    stores.range(TopologyNames.INSTANCE_SERIES_STORE, partitions, service + "/", service + "0", (key, bytes) -> {
      Entry e = entry(key, bytes);
      if (e != null && span.holds(e.instance())) {
        tally.add(e);
      }
    });
    List<Entry> latest = new ArrayList<>();
    tally.entriesTo(latest);
    latest.removeIf(e -> e.labels() == null);
    return new CatalogAnswers.LabelsPart(latest);
  }

  /**
   * The listing's row of one series ({@code service/instance/KIND}), reading its header, times and
   * labels only; null for a key or value this release does not write, or a series without a capture.
   */
  private static Entry entry(String key, byte[] bytes) {
    int first = key.indexOf('/');
    int last = key.lastIndexOf('/');
    if (first <= 0 || last <= first + 1) {
      return null;
    }
    ProfileKind kind;
    InstanceSeriesCodec.CatalogFacts facts;
    try {
      kind = ProfileKind.valueOf(key.substring(last + 1));
      facts = InstanceSeriesCodec.catalogFacts(bytes);
    } catch (IllegalArgumentException | StateFormatException e) {
      return null; // not a key or value this release writes: nothing to list
    }
    if (facts.latestCaptureMs() == RestartSignal.NONE) {
      return null; // no capture yet
    }
    return new Entry(key.substring(0, first), key.substring(first + 1, last), kind.endpointName(),
        facts.latestCaptureMs(), facts.labels().asMap(), facts.labels().truncated());
  }

  /**
   * Where a listing page's scan may start: its services come after {@code page.after()}, and so do
   * their keys ("a-b/..." sorts before "a/", so the start is "a" itself, not "a/"). The store orders
   * keys by their UTF-8 bytes and the page by {@link String#compareTo} (UTF-16 units); the two agree
   * on the names after {@code after} only when it holds no character from U+D800 on, so otherwise
   * the scan starts at the first key.
   */
  static String scanStart(ServicePage page) {
    String after = page.after();
    return after != null && after.chars().allMatch(c -> c < 0xD800) ? after : null;
  }

  /**
   * The page of the service listing from every instance's part (each the first {@code
   * page.limit()} services after {@code page.after()} of its partitions, with the entries of their
   * instances of {@code instances}), by service and instance name. A service of the page's first
   * {@code limit} is among the first {@code limit} of every part that holds it, with its summary
   * there, so the page is exact; more services follow when the parts together hold more, or any
   * part left some out. Likewise for a service's instances: the first {@code instances.limit()} of
   * the merged entries, the service's count the sum of the parts' (an instance's series are in one
   * partition), its profile types and latest capture those of all its instances.
   *
   * @throws UnavailableException (not retryable) for a part without summaries, from a release that
   *     does not page instances (such an instance refuses the request first)
   */
  public static CatalogAnswers.Services merge(List<CatalogAnswers.Part> parts, ServicePage page,
      InstancePage instances) {
    Map<String, Merged> byService = new TreeMap<>();
    boolean more = false;
    for (CatalogAnswers.Part p : parts) {
      if (p.services() == null) {
        throw new UnavailableException("an instance answered a part of the service listing without the services' "
            + "instance counts (a release before instance pages)", false, List.of());
      }
      more |= p.more();
      p.services().forEach(s -> byService.computeIfAbsent(s.service(), k -> new Merged()).add(s));
      for (Entry e : p.entries()) {
        Merged m = byService.get(e.service());
        if (m != null) {
          m.instances.computeIfAbsent(e.instance(), k -> new ArrayList<>()).add(e);
        }
      }
    }
    List<CatalogAnswers.Service> services = new ArrayList<>();
    for (Map.Entry<String, Merged> s : byService.entrySet()) {
      if (services.size() == page.limit()) {
        more = true;
        break;
      }
      services.add(s.getValue().service(s.getKey(), instances));
    }
    String next = more && !services.isEmpty() ? services.get(services.size() - 1).service() : null;
    return new CatalogAnswers.Services(services.size(), next != null, next, services);
  }

  /** One service from every part: its {@link CatalogAnswers.Summary}s added up and its instances merged. */
  private static final class Merged {
    private int count;
    private boolean truncated;
    private final Set<String> types = new TreeSet<>();
    private long last = Long.MIN_VALUE;
    private final TreeMap<String, List<Entry>> instances = new TreeMap<>();

    void add(CatalogAnswers.Summary s) {
      count += s.instanceCount();
      truncated |= s.instancesTruncated();
      types.addAll(s.profileTypes());
      last = Math.max(last, s.lastCaptureMs());
    }

    CatalogAnswers.Service service(String service, InstancePage page) {
      InstancePage.Cut<CatalogAnswers.Instance> cut = page.cut(instances, CatalogQueries::instance);
      return new CatalogAnswers.Service(service, List.copyOf(types), TimeRange.iso(last), last, count,
          truncated || cut.truncated(), cut.items());
    }
  }

  private static CatalogAnswers.Instance instance(String instance, List<Entry> entries) {
    Set<String> types = new TreeSet<>();
    long last = Long.MIN_VALUE;
    for (Entry e : entries) {
      types.add(e.profileType());
      last = Math.max(last, e.lastCaptureMs());
    }
    Entry labelled = Entry.latest(entries);
    return new CatalogAnswers.Instance(instance, List.copyOf(types), TimeRange.iso(last), last, labelled.labels(),
        labelled.labelsTruncated());
  }

  /**
   * The live view of one service, with the instances of {@code page}; 404 when its lifecycle holds
   * nothing (unknown or long silent).
   */
  public CatalogAnswers.LiveService live(String service, int partition, InstancePage page) {
    ServiceSuspects s = SuspectQueries.lifecycle(stores.get(TopologyNames.SUSPECT_LIFECYCLE_STORE, partition, service));
    if (s == null) {
      throw new NotFoundException("service '" + service + "' has no live instances or suspects "
          + "(unknown, or silent for longer than detection.instanceGoneAfter)");
    }
    // the lifecycle keeps its instances by name
    InstancePage.Cut<CatalogAnswers.LiveInstance> cut = page.cut(s.instances(), (name, i) ->
        new CatalogAnswers.LiveInstance(name, TimeRange.iso(i.lastSeenMs()), i.memoryLimitBytes(),
            i.heapInuseBytes() < 0 ? null : i.heapInuseBytes(), null, false));
    int open = (int) s.suspects().values().stream().filter(SuspectState::open).count();
    return CatalogAnswers.LiveService.of(service,
        s.latestCaptureMs() == Long.MIN_VALUE ? null : TimeRange.iso(s.latestCaptureMs()), open,
        s.suspects().size() - open, s.instances().size(), cut);
  }
}
