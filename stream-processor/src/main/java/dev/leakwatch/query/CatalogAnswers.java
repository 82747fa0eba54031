package dev.leakwatch.query;

import java.util.List;

/** The JSON answers about which services and instances exist. Times are ISO-8601 UTC. */
public final class CatalogAnswers {

  private CatalogAnswers() {}

  /** One per-instance series found in a partition: a fan-out's raw row. */
  public record Entry(String service, String instance, String profileType, long lastCaptureMs) {}

  /** One instance's part of the service listing. */
  public record Part(List<Entry> entries) {}

  /** An instance of a service: the profile types it sends and its latest capture of any type. */
  public record Instance(String instance, List<String> profileTypes, String lastCapture, long lastCaptureMs) {}

  /** A service: its instances, the union of their profile types and its latest capture. */
  public record Service(String service, List<String> profileTypes, String lastCapture, long lastCaptureMs,
      List<Instance> instances) {}

  /** Every service, by name. */
  public record Services(int count, List<Service> services) {}

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
