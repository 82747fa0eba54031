package dev.leakwatch.query;

import dev.leakwatch.detect.ProfileKind;
import dev.leakwatch.detect.Site;
import dev.leakwatch.detect.SiteFrame;
import dev.leakwatch.detect.SuspectKind;
import dev.leakwatch.detect.lifecycle.InstanceGrowth;
import dev.leakwatch.detect.lifecycle.SuspectState;
import dev.leakwatch.query.StackAnswers.Frame;
import dev.leakwatch.query.SuspectAnswers.Event;
import dev.leakwatch.query.SuspectAnswers.Evidence;
import dev.leakwatch.query.SuspectAnswers.Suspect;
import dev.leakwatch.schemas.avro.LeakSuspect;
import dev.leakwatch.schemas.avro.StackFrame;
import java.time.Instant;
import java.util.List;

/**
 * Builds suspect views from the lifecycle state (what is current: open or candidate, the site's
 * id) and the latest recorded event (the numbers: rates, confidence, evidence). Either may be
 * missing: a candidate has no event yet; a resolved suspect has left the lifecycle.
 */
final class SuspectViews {

  private SuspectViews() {}

  /**
   * @param state the lifecycle's entry, or null when it no longer tracks the suspect
   * @param latest the latest event, or null when none was recorded (candidates)
   */
  static Suspect of(String service, String id, SuspectState state, LeakSuspect latest) {
    if (state == null && latest == null) {
      throw new IllegalArgumentException("suspect " + id + " has neither state nor events");
    }
    String lifecycle = state == null ? "resolved" : state.open() ? "open" : "candidate";
    String siteId = state == null ? null : FrameLookup.hex(state.site().id());
    String openedAt = state != null && state.open() ? TimeRange.iso(state.openedAtMs()) : null;
    if (latest == null) {
      Site site = state.site();
      return new Suspect(id, service, site.kind().name(), lifecycle, null, siteId, seriesKind(state),
          frame(site.frame()), site.stack().stream().map(SuspectViews::frame).toList(),
          site.waitReason() == null ? null : site.waitReason().label(), List.copyOf(state.instances().keySet()),
          null, site.kind().growthUnit(), null, site.kind().valueUnit(), TimeRange.iso(state.firstGrowthMs()),
          openedAt, null, null, null, null, List.of(), null, null, List.of());
    }
    return new Suspect(id, service, latest.getKind().name(), lifecycle, latest.getStatus().name(), siteId,
        state == null ? defaultSeriesKind(latest.getKind().name()) : seriesKind(state), frame(latest.getSite()),
        latest.getStack().stream().map(SuspectViews::frame).toList(), latest.getWaitReason(),
        List.copyOf(latest.getInstances()), latest.getGrowthRate(), latest.getGrowthUnit(), latest.getCurrentValue(),
        latest.getValueUnit(), iso(latest.getFirstGrowthSeen()), openedAt, iso(latest.getDetectedAt()),
        latest.getStatistic(), latest.getStatisticValue(), latest.getConfidence(),
        latest.getEvidence().stream().map(p -> new Evidence(p.getInstance(), iso(p.getTime()), p.getValue())).toList(),
        latest.getProjectedExhaustion() == null ? null : iso(latest.getProjectedExhaustion()),
        latest.getMemoryLimitBytes(), List.copyOf(latest.getRelatedSuspects()));
  }

  static Event event(LeakSuspect e) {
    return new Event(e.getSuspectId(), e.getService(), e.getStatus().name(), e.getKind().name(),
        iso(e.getDetectedAt()), e.getDetectedAt().toEpochMilli(), frame(e.getSite()), List.copyOf(e.getInstances()),
        e.getGrowthRate(), e.getGrowthUnit(), e.getCurrentValue(), e.getValueUnit(), e.getConfidence());
  }

  /** The per-instance series kind holding a suspect's values: goroutineleak when that is what grows. */
  static String seriesKind(SuspectState state) {
    if (state.site().kind() == SuspectKind.HEAP) {
      return ProfileKind.HEAP.endpointName();
    }
    return state.instances().values().stream().map(InstanceGrowth::source).filter(k -> k != null)
        .findFirst().orElse(ProfileKind.GOROUTINE).endpointName();
  }

  private static String defaultSeriesKind(String kind) {
    return kind.equals(SuspectKind.HEAP.name()) ? ProfileKind.HEAP.endpointName()
        : ProfileKind.GOROUTINE.endpointName();
  }

  private static Frame frame(SiteFrame f) {
    return Frame.of(f);
  }

  private static Frame frame(StackFrame f) {
    return new Frame(f.getFunction(), f.getFile(), f.getLine());
  }

  private static String iso(Instant t) {
    return t.toString();
  }
}
