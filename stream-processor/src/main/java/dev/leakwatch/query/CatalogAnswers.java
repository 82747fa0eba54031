package dev.leakwatch.query;

import java.util.List;

/** The JSON answers about which services and instances exist. Times are ISO-8601 UTC. */
public final class CatalogAnswers {

  private CatalogAnswers() {}

  /** One per-instance series found in a partition: a fan-out's raw row. */
  public record Entry(String service, String instance, String profileType, long lastCaptureMs) {}

  /**
   * One instance's part of the service listing.
   *
   * @param entries every entry of the part's services
   * @param more whether the instance holds more services after the last one of this part (it keeps
   *     only a page's number of services)
   */
  public record Part(List<Entry> entries, boolean more) {

    public Part(List<Entry> entries) {
      this(entries, false);
    }
  }

  /** An instance of a service: the profile types it sends and its latest capture of any type. */
  public record Instance(String instance, List<String> profileTypes, String lastCapture, long lastCaptureMs) {}

  /** A service: its instances, the union of their profile types and its latest capture. */
  public record Service(String service, List<String> profileTypes, String lastCapture, long lastCaptureMs,
      List<Instance> instances) {}

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
   */
  public record LiveInstance(String instance, String lastSeen, Long memoryLimitBytes, Long heapInuseBytes) {}

  /**
   * A service's live instances and suspect counts, from its lifecycle state.
   *
   * @param latestCapture the service's own latest capture of any of its instances (never another
   *     service's, even when both share a stream task)
   */
  public record LiveService(String service, String latestCapture, int openSuspects, int candidateSuspects,
      List<LiveInstance> instances) {}
}
