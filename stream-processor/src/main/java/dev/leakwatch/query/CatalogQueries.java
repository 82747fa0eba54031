package dev.leakwatch.query;

import dev.leakwatch.detect.ProfileKind;
import dev.leakwatch.detect.StateFormatException;
import dev.leakwatch.detect.lifecycle.ServiceSuspects;
import dev.leakwatch.detect.lifecycle.SuspectState;
import dev.leakwatch.detect.series.InstanceSeries;
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
   * page of services however many the partitions hold.
   */
  public CatalogAnswers.Part part(Set<Integer> partitions, String service, ServicePage page) {
    TreeMap<String, List<Entry>> kept = new TreeMap<>();
    boolean[] more = {false};
    // Service names hold no '/', so "s/" .. "s0" ('/' + 1) brackets exactly the keys of service s.
    String from = service == null ? null : service + "/";
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
      ProfileKind kind;
      InstanceSeries series;
      try {
        kind = ProfileKind.valueOf(key.substring(last + 1));
        series = InstanceSeries.fromBytes(bytes);
      } catch (IllegalArgumentException | StateFormatException e) {
        return; // not a key or value this release writes: nothing to list
      }
      if (series.size() == 0) {
        return;
      }
      // keys come in key order, which is not service order ("a-b/..." sorts before "a/..."): keep
      // the first services seen so far, dropping the greatest when there is one too many
      if (kept.size() >= page.limit() && !kept.containsKey(name) && name.compareTo(kept.lastKey()) > 0) {
        more[0] = true;
        return;
      }
      kept.computeIfAbsent(name, k -> new ArrayList<>()).add(new Entry(name, key.substring(first + 1, last),
          kind.endpointName(), series.lastTimeMs()));
      if (kept.size() > page.limit()) {
        kept.pollLastEntry();
        more[0] = true;
      }
    });
    List<Entry> out = new ArrayList<>();
    kept.values().forEach(out::addAll);
    return new CatalogAnswers.Part(out, more[0]);
  }

  /** Every series of {@code service} in {@code partitions} ({@link #part(Set, String, ServicePage)}). */
  public CatalogAnswers.Part part(Set<Integer> partitions, String service) {
    return part(partitions, service, ServicePage.ALL);
  }

  /** Every service of every instance's part, by service and instance name. */
  public static CatalogAnswers.Services merge(List<CatalogAnswers.Part> parts) {
    return merge(parts, ServicePage.ALL);
  }

  /**
   * The page of the service listing from every instance's part (each the first {@code
   * page.limit()} services after {@code page.after()} of its partitions), by service and instance
   * name. A service of the page's first {@code limit} is among the first {@code limit} of every
   * part that holds it, with all its entries there, so the page is exact; more services follow when
   * the parts together hold more, or any part left some out.
   */
  public static CatalogAnswers.Services merge(List<CatalogAnswers.Part> parts, ServicePage page) {
    Map<String, Map<String, List<Entry>>> byService = new TreeMap<>();
    boolean more = false;
    for (CatalogAnswers.Part p : parts) {
      more |= p.more();
      for (Entry e : p.entries()) {
        byService.computeIfAbsent(e.service(), k -> new TreeMap<>())
            .computeIfAbsent(e.instance(), k -> new ArrayList<>()).add(e);
      }
    }
    List<CatalogAnswers.Service> services = new ArrayList<>();
    for (Map.Entry<String, Map<String, List<Entry>>> s : byService.entrySet()) {
      if (services.size() == page.limit()) {
        more = true;
        break;
      }
      services.add(service(s.getKey(), s.getValue()));
    }
    String next = more && !services.isEmpty() ? services.get(services.size() - 1).service() : null;
    return new CatalogAnswers.Services(services.size(), next != null, next, services);
  }

  private static CatalogAnswers.Service service(String service, Map<String, List<Entry>> instances) {
    List<CatalogAnswers.Instance> list = new ArrayList<>();
    Set<String> serviceTypes = new TreeSet<>();
    long serviceLast = Long.MIN_VALUE;
    for (Map.Entry<String, List<Entry>> i : instances.entrySet()) {
      Set<String> types = new TreeSet<>();
      long last = Long.MIN_VALUE;
      for (Entry e : i.getValue()) {
        types.add(e.profileType());
        last = Math.max(last, e.lastCaptureMs());
      }
      serviceTypes.addAll(types);
      serviceLast = Math.max(serviceLast, last);
      list.add(new CatalogAnswers.Instance(i.getKey(), List.copyOf(types), TimeRange.iso(last), last));
    }
    return new CatalogAnswers.Service(service, List.copyOf(serviceTypes), TimeRange.iso(serviceLast), serviceLast,
        list);
  }

  /** The live view of one service; 404 when its lifecycle holds nothing (unknown or long silent). */
  public CatalogAnswers.LiveService live(String service, int partition) {
    ServiceSuspects s = SuspectQueries.lifecycle(stores.get(TopologyNames.SUSPECT_LIFECYCLE_STORE, partition, service));
    if (s == null) {
      throw new NotFoundException("service '" + service + "' has no live instances or suspects "
          + "(unknown, or silent for longer than detection.instanceGoneAfter)");
    }
    List<CatalogAnswers.LiveInstance> instances = new ArrayList<>();
    s.instances().forEach((name, i) -> instances.add(new CatalogAnswers.LiveInstance(name,
        TimeRange.iso(i.lastSeenMs()), i.memoryLimitBytes(), i.heapInuseBytes() < 0 ? null : i.heapInuseBytes())));
    int open = (int) s.suspects().values().stream().filter(SuspectState::open).count();
    return new CatalogAnswers.LiveService(service,
        s.latestCaptureMs() == Long.MIN_VALUE ? null : TimeRange.iso(s.latestCaptureMs()), open,
        s.suspects().size() - open, instances);
  }
}
