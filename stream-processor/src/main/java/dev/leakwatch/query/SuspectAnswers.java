package dev.leakwatch.query;

import dev.leakwatch.query.StackAnswers.Frame;
import java.util.List;

/** The JSON answers about leak suspects. Times are ISO-8601 UTC; null means unknown or not applicable. */
public final class SuspectAnswers {

  private SuspectAnswers() {}

  /** One point of evidence: the site's value on an instance at a capture. */
  public record Evidence(String instance, String time, double value) {}

  /**
   * A suspect as it stands: the lifecycle's current view plus its latest event's numbers.
   *
   * @param state {@code open} (OPEN emitted, not resolved), {@code candidate} (growing, not yet
   *     open) or {@code resolved} (only in the history)
   * @param lastStatus status of its latest event (OPEN, UPDATED, RESOLVED); null for candidates
   * @param siteId the detection site's id (16 hex digits), for the series endpoints; null when the
   *     lifecycle no longer tracks it
   * @param seriesKind the per-instance series holding its evidence: heap, goroutine or goroutineleak
   * @param openedAt when OPEN was emitted (capture time)
   * @param detectedAt capture time of the latest event
   * @param relatedSuspects ids of the open suspects of the other kind in the same service that are
   *     probably the same bug, as its latest event names them (docs/DETECTION.md, "Related suspects");
   *     empty for candidates, for events of releases before the field and from peers of those releases;
   *     never null
   */
  public record Suspect(String suspectId, String service, String kind, String state, String lastStatus,
      String siteId, String seriesKind, Frame site, List<Frame> stack, String waitReason, List<String> instances,
      Double growthRate, String growthUnit, Double currentValue, String valueUnit, String firstGrowthSeen,
      String openedAt, String detectedAt, String statistic, Double statisticValue, Double confidence,
      List<Evidence> evidence, String projectedExhaustion, Long memoryLimitBytes, List<String> relatedSuspects) {
    public Suspect {
      relatedSuspects = relatedSuspects == null ? List.of() : List.copyOf(relatedSuspects);
    }
  }

  /** One lifecycle event, without stack and evidence (see the suspect for those). */
  public record Event(String suspectId, String service, String status, String kind, String detectedAt,
      long detectedAtMs, Frame site, List<String> instances, double growthRate, String growthUnit,
      double currentValue, String valueUnit, double confidence) {}

  /**
   * A suspect and its events, oldest first.
   *
   * @param labels what sets the suspect's instances apart, computed by the instance the client asked
   *     ({@link LabelContrast}); null in an owner's answer to another instance (the asker adds it), from a
   *     release before it, and when an owner of a release before instance pages cannot give the page
   */
  public record Detail(Suspect suspect, List<Event> events, Labels labels) {

    public Detail(Suspect suspect, List<Event> events) {
      this(suspect, events, null);
    }
  }

  /**
   * The labels of a suspect's instances against its service's live instances (docs/API.md, "Labels of
   * a suspect's instances").
   *
   * @param liveInstances every live instance of the service (as its {@code .../instances} counts them)
   * @param countedInstances the live instances whose labels were read: the first {@link
   *     LabelContrast#MAX_COUNTED} by name
   * @param truncated whether live instances were left out ({@code countedInstances < liveInstances}):
   *     the counts, and the instances' labels, are then of the counted ones only
   * @param instances the suspect's instances by name, at most {@link LabelContrast#MAX_LISTED}
   * @param instancesTruncated whether the suspect has more instances than those listed
   * @param distinguishing the label pairs every suspect instance with known labels holds and some
   *     counted live instance with known labels does not; the rarest first, then by name
   */
  public record Labels(int liveInstances, int countedInstances, boolean truncated, List<InstanceLabels> instances,
      boolean instancesTruncated, List<Distinguishing> distinguishing) {}

  /**
   * A suspect instance's labels: those of its latest capture, as on {@code /api/v1/services/{service}}.
   *
   * @param labels by name; null when unknown: the instance is not among the counted live instances (it is
   *     gone, or past them), or a processor instance of a release before labels holds its series
   * @param labelsTruncated whether some of its labels were not kept (16 labels, 1 KiB)
   */
  public record InstanceLabels(String instance, java.util.SortedMap<String, String> labels, boolean labelsTruncated) {}

  /**
   * A label pair that distinguishes a suspect's instances.
   *
   * @param suspectInstances the suspect instances with known labels (every one holds the pair)
   * @param serviceInstances the counted live instances that hold it (the suspect's among them)
   * @param serviceLiveInstances the counted live instances with known labels ({@code serviceInstances} is
   *     fewer)
   */
  public record Distinguishing(String name, String value, int suspectInstances, int serviceInstances,
      int serviceLiveInstances) {}

  /** Current suspects of one service or of every service. */
  public record SuspectList(String service, String status, int count, List<Suspect> suspects) {}

  /**
   * A service's events in a range, newest first.
   *
   * @param truncated true when more events than {@code limit} fell in the range (the oldest are left out)
   */
  public record History(String service, String from, String to, int count, boolean truncated, List<Event> events) {}

  /**
   * A page of the current suspects of every service, in {@link SuspectPage#ORDER}.
   *
   * @param truncated true when more suspects follow this page
   * @param next when truncated, the {@code after} of the next page ({@code service/suspectId} of this
   *     page's last suspect); null otherwise
   */
  public record Listing(String status, int count, boolean truncated, String next, List<Suspect> suspects) {}

  /**
   * One instance's part of a fan-out over suspects.
   *
   * @param more true when the instance left out suspects of its page because it already had a page's worth
   */
  public record Part(List<Suspect> suspects, List<Event> events, boolean more) {

    public Part(List<Suspect> suspects, List<Event> events) {
      this(suspects, events, false);
    }
  }
}
