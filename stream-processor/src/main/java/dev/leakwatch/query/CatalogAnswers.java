package dev.leakwatch.query;

import dev.leakwatch.detect.DetectionPolicy;
import java.util.Comparator;
import java.util.List;
import java.util.SortedMap;

/** The JSON answers about which services and instances exist. Times are ISO-8601 UTC. */
public final class CatalogAnswers {

  private CatalogAnswers() {}

  /**
   * One per-instance series found in a partition: a fan-out's raw row.
   *
   * @param labels the labels the series kept of its latest capture, by name; a part sends them on the
   *     instance's {@link #latest} entry only (null on its others), and a part of a release before
   *     labels on none
   * @param labelsTruncated whether the series dropped some of them (docs/API.md)
   */
  public record Entry(String service, String instance, String profileType, long lastCaptureMs,
      SortedMap<String, String> labels, boolean labelsTruncated) {

    /** The same row without labels: the instance's labels travel on its latest entry. */
    Entry withoutLabels() {
      return new Entry(service, instance, profileType, lastCaptureMs, null, false);
    }

    /**
     * Of one instance's entries, the one whose labels are the instance's: the latest capture, ties
     * broken by profile type, so that every processor instance picks the same.
     */
    static Entry latest(List<Entry> entries) {
      return entries.stream().max(Comparator.comparingLong(Entry::lastCaptureMs)
          .thenComparing(Entry::profileType, Comparator.reverseOrder())).orElseThrow();
    }
  }

  /**
   * What one part holds of a service, over all of the service's instances in the part's partitions
   * (also those whose entries it left out).
   *
   * @param instanceCount the service's instances in the part's partitions (an instance's series
   *     are all in one partition, so parts' counts add up)
   * @param instancesTruncated whether the part left out instances after those it sent
   * @param profileTypes the union of their profile types
   * @param lastCaptureMs their latest capture
   */
  public record Summary(String service, int instanceCount, boolean instancesTruncated, List<String> profileTypes,
      long lastCaptureMs) {}

  /**
   * One instance's part of the service listing.
   *
   * @param entries the entries of the part's services: per service, those of the instances of the
   *     page asked for ({@link InstancePage}; every instance when the asker gave none)
   * @param more whether the instance holds more services after the last one of this part (it keeps
   *     only a page's number of services)
   * @param services per service of the part, by name; absent (null) from a release before instance
   *     pages, which is never asked for one
   */
  public record Part(List<Entry> entries, boolean more, List<Summary> services) {}

  /**
   * An instance of a service: the profile types it sends, its latest capture of any type and the
   * labels that capture carried.
   *
   * @param labels by name, {@code {}} when it sent none; null when a processor instance of a release
   *     before labels holds its series
   * @param labelsTruncated whether labels were dropped: over the bound of 16 labels and 1 KiB, or
   *     breaking the label rule (docs/API.md)
   */
  public record Instance(String instance, List<String> profileTypes, String lastCapture, long lastCaptureMs,
      SortedMap<String, String> labels, boolean labelsTruncated) {}

  /**
   * A service: the union of its instances' profile types, its latest capture, how many instances it
   * has and the first of them by name.
   *
   * @param instanceCount every instance of the service with a series
   * @param instancesTruncated whether instances follow those listed
   * @param instances at most the page's number, by name
   */
  public record Service(String service, List<String> profileTypes, String lastCapture, long lastCaptureMs,
      int instanceCount, boolean instancesTruncated, List<Instance> instances) {}

  /**
   * One service with a page of its instances: the fields of its {@link Service} entry, then the
   * page's.
   *
   * @param count instances in this page
   * @param truncated whether more instances follow: ask again with {@code after=next}
   * @param next the last instance of this page when {@code truncated}, else null
   */
  public record ServiceInstances(String service, List<String> profileTypes, String lastCapture, long lastCaptureMs,
      int instanceCount, boolean instancesTruncated, int count, boolean truncated, String next,
      List<Instance> instances, ServiceDetection detection) {

    static ServiceInstances of(Service s, ServiceDetection detection) {
      String next = s.instancesTruncated() && !s.instances().isEmpty()
          ? s.instances().get(s.instances().size() - 1).instance() : null;
      return new ServiceInstances(s.service(), s.profileTypes(), s.lastCapture(), s.lastCaptureMs(),
          s.instanceCount(), s.instancesTruncated(), s.instances().size(), next != null, next, s.instances(),
          detection);
    }
  }

  /**
   * How detection judges a service, per the answering instance's configuration ({@code detection.services}).
   *
   * @param rule the index of the first {@code detection.services} entry covering the service, or null when
   *     none does and the {@code detection} settings apply
   * @param match that entry's patterns (empty without one)
   * @param judged false when that entry turns judging off: no suspect opens for the service
   * @param changes the entry's settings that differ from the {@code detection} ones, by name (durations
   *     as ISO-8601)
   */
  public record ServiceDetection(Integer rule, List<String> match, boolean judged, SortedMap<String, Object> changes) {

    /** How {@code policy} judges {@code service}. */
    public static ServiceDetection of(DetectionPolicy policy, String service) {
      DetectionPolicy.Rule r = policy.ruleFor(service);
      if (r == null) {
        return new ServiceDetection(null, List.of(), true, new java.util.TreeMap<>());
      }
      return new ServiceDetection(policy.rules().indexOf(r), r.services().stream().map(Object::toString).toList(),
          r.judged(), policy.changes(r));
    }
  }

  /**
   * A page of the services, by name.
   *
   * @param count services in this page
   * @param truncated whether more services follow: ask again with {@code after=next}
   * @param next the last service of this page when {@code truncated}, else null
   */
  public record Services(int count, boolean truncated, String next, List<Service> services) {}

  /**
   * An instance as the suspect lifecycle knows it (seen within {@code instanceGoneAfter}).
   *
   * @param heapInuseBytes total in-use heap at its latest heap capture; null before the first
   * @param labels the labels of its latest capture, from its series (as {@link Instance#labels}); null
   *     in the owner's raw page (the asking instance adds them), without a series, or when a processor
   *     instance of a release before labels holds some of the service's series
   * @param labelsTruncated whether labels were dropped (as {@link Instance#labelsTruncated})
   */
  public record LiveInstance(String instance, String lastSeen, Long memoryLimitBytes, Long heapInuseBytes,
      SortedMap<String, String> labels, boolean labelsTruncated) {

    LiveInstance labelled(Entry latest) {
      return latest == null ? this : new LiveInstance(instance, lastSeen, memoryLimitBytes, heapInuseBytes,
          latest.labels(), latest.labelsTruncated());
    }
  }

  /**
   * One instance's part of the labels of a page of live instances: per instance of the service within
   * the page's names with a series in the part's partitions, its {@link Entry#latest} entry, by name.
   */
  public record LabelsPart(List<Entry> instances) {}

  /**
   * A service's live instances (a page of them, by name) and suspect counts, from its lifecycle
   * state.
   *
   * @param latestCapture the service's own latest capture of any of its instances (never another
   *     service's, even when both share a stream task)
   * @param instanceCount every live instance of the service
   * @param count instances in this page
   * @param truncated whether more instances follow: ask again with {@code after=next}; false from a
   *     release before instance pages, which lists every instance
   * @param next the last instance of this page when {@code truncated}, else null
   */
  public record LiveService(String service, String latestCapture, int openSuspects, int candidateSuspects,
      int instanceCount, int count, boolean truncated, String next, List<LiveInstance> instances) {

    /** The answer holding {@code cut}, a page of the service's {@code instanceCount} live instances. */
    static LiveService of(String service, String latestCapture, int openSuspects, int candidateSuspects,
        int instanceCount, InstancePage.Cut<LiveInstance> cut) {
      List<LiveInstance> items = cut.items();
      String next = cut.truncated() ? items.get(items.size() - 1).instance() : null;
      return new LiveService(service, latestCapture, openSuspects, candidateSuspects, instanceCount, items.size(),
          next != null, next, items);
    }
  }
}
