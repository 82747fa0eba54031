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
   * and latest capture. Only {@code service}'s when it is not null.
   */
  public CatalogAnswers.Part part(Set<Integer> partitions, String service) {
    List<Entry> out = new ArrayList<>();
    // Service names hold no '/', so "s/" .. "s0" ('/' + 1) brackets exactly the keys of service s.
    String from = service == null ? null : service + "/";
    String to = service == null ? null : service + "0";
    stores.range(TopologyNames.INSTANCE_SERIES_STORE, partitions, from, to, (key, bytes) -> {
      int first = key.indexOf('/');
      int last = key.lastIndexOf('/');
      if (first <= 0 || last <= first + 1) {
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
      if (series.size() > 0) {
        out.add(new Entry(key.substring(0, first), key.substring(first + 1, last), kind.endpointName(),
            series.lastTimeMs()));
      }
    });
    return new CatalogAnswers.Part(out);
  }

  /** The service listing from every instance's part, by service and instance name. */
  public static CatalogAnswers.Services merge(List<CatalogAnswers.Part> parts) {
    Map<String, Map<String, List<Entry>>> byService = new TreeMap<>();
    for (CatalogAnswers.Part p : parts) {
      for (Entry e : p.entries()) {
        byService.computeIfAbsent(e.service(), k -> new TreeMap<>())
            .computeIfAbsent(e.instance(), k -> new ArrayList<>()).add(e);
      }
    }
    List<CatalogAnswers.Service> services = new ArrayList<>();
    byService.forEach((service, instances) -> {
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
      services.add(new CatalogAnswers.Service(service, List.copyOf(serviceTypes), TimeRange.iso(serviceLast),
          serviceLast, list));
    });
    return new CatalogAnswers.Services(services.size(), services);
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
