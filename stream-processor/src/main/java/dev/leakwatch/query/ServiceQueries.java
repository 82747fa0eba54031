package dev.leakwatch.query;

import dev.leakwatch.detect.SiteFrame;
import dev.leakwatch.detect.StateFormatException;
import dev.leakwatch.detect.lifecycle.ServiceSuspects;
import dev.leakwatch.pprof.Profile;
import dev.leakwatch.pprof.ProfileDiff;
import dev.leakwatch.pprof.ProfileWriter;
import dev.leakwatch.topology.TopologyNames;
import dev.leakwatch.topology.window.ServiceWindow;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Answers about one service's stacks, computed on the instance that owns the service (its windows,
 * dictionary and lifecycle share one partition). Default ranges end at the service's latest capture
 * (its stream time), so a replayed service is queried like a live one.
 */
public final class ServiceQueries {

  private final LocalStores stores;
  private final FrameLookup frames;
  private final long windowMs;
  private final long maxSpanMs;
  private final LongSupplier clock;

  /**
   * @param windowMs the topology's window size
   * @param maxSpanMs the longest range a query may ask for
   * @param clock wall clock (ms), the default range's end for services with neither lifecycle state
   *     nor windows
   */
  public ServiceQueries(LocalStores stores, long windowMs, long maxSpanMs, LongSupplier clock) {
    this.stores = stores;
    this.frames = new FrameLookup(stores);
    this.windowMs = windowMs;
    this.maxSpanMs = maxSpanMs;
    this.clock = clock;
  }

  public StackAnswers.Top top(StackRequests.Top r, int partition) {
    TimeRange range = r.range().resolve(latest(r.service(), partition), maxSpanMs);
    StackTotals totals = totals(r.service(), partition, range);
    requireData(r.service(), partition, totals, range);
    return StackRanking.top(r.service(), r.metric(), totals, StackAnswers.Range.of(range, windowMs, totals.windows()),
        r.limit(), r.frames(), r.stacks(), ids -> frames.frames(r.service(), partition, ids));
  }

  public StackAnswers.Diff diff(StackRequests.Diff r, int partition) {
    TimeRange target = r.target().resolve(latest(r.service(), partition), maxSpanMs);
    TimeRange base = r.base().resolveBefore(target, windowMs, maxSpanMs);
    StackTotals t = totals(r.service(), partition, target);
    StackTotals b = totals(r.service(), partition, base);
    if (t.windows() == 0 && b.windows() == 0) {
      requireData(r.service(), partition, t, target);
    }
    return StackRanking.diff(r.service(), r.metric(), b, StackAnswers.Range.of(base, windowMs, b.windows()),
        t, StackAnswers.Range.of(target, windowMs, t.windows()), r.limit(), r.frames(),
        ids -> frames.frames(r.service(), partition, ids));
  }

  /** The gzip'd pprof of {@code r}: merged over its range, or the diff against its base. */
  public byte[] profile(StackRequests.Profile r, int partition) {
    TimeRange range = r.range().resolve(latest(r.service(), partition), maxSpanMs);
    Profile target = merged(r, partition, range, r.base() == null ? "" : "the target range ");
    if (r.base() == null) {
      return ProfileWriter.write(target);
    }
    Profile base = merged(r, partition, r.base().resolveBefore(range, windowMs, maxSpanMs),
        "the base range (baseFrom, baseTo) ");
    return ProfileWriter.write(ProfileDiff.diff(base, target));
  }

  /** @param which names the range in a refusal: empty for a plain profile, else which side of a diff */
  private Profile merged(StackRequests.Profile r, int partition, TimeRange range, String which) {
    StackTotals totals = totals(r.service(), partition, range);
    if (totals.captures(r.section()) == 0) {
      throw new NotFoundException("service '" + r.service() + "' has no " + r.section().label() + " captures in "
          + which + "["
          + TimeRange.iso(range.fromMs()) + ", " + TimeRange.iso(range.toMs()) + ")");
    }
    Map<Long, List<SiteFrame>> f = frames.frames(r.service(), partition, totals.stacks(r.section()).keySet());
    return WindowProfiles.build(r.service(), r.section(), totals, f, range.alignedTo(windowMs));
  }

  /** The service's windows overlapping {@code range}, added up. */
  StackTotals totals(String service, int partition, TimeRange range) {
    StackTotals totals = new StackTotals();
    stores.windows(TopologyNames.SERVICE_WINDOWS_STORE, partition, service, range.firstWindowStart(windowMs),
        range.lastWindowStart(windowMs), (start, bytes) -> {
          try {
            totals.add(ServiceWindow.fromBytes(bytes));
          } catch (StateFormatException e) {
            throw new UnavailableException("window " + TimeRange.iso(start) + " of service '" + service
                + "' is unreadable: " + e.getMessage(), false, List.of());
          }
        });
    return totals;
  }

  /**
   * The service's own latest capture time; when its lifecycle state is gone (every instance quiet
   * for {@code detection.instanceGoneAfter} and no suspect open) the last moment of its newest
   * window, so that a service that stopped reporting is still shown where its data is; the wall
   * clock when neither is known.
   */
  public long latest(String service, int partition) {
    ServiceSuspects s = lifecycle(service, partition);
    if (s != null && s.latestCaptureMs() != Long.MIN_VALUE) {
      return s.latestCaptureMs();
    }
    Long newest = stores.newestWindowStart(TopologyNames.SERVICE_WINDOWS_STORE, partition, service);
    return newest != null ? newest + windowMs - 1 : clock.getAsLong();
  }

  /** The service's lifecycle state, or null when absent or unreadable. */
  ServiceSuspects lifecycle(String service, int partition) {
    return SuspectQueries.lifecycle(stores.get(TopologyNames.SUSPECT_LIFECYCLE_STORE, partition, service));
  }

  private void requireData(String service, int partition, StackTotals totals, TimeRange range) {
    if (totals.windows() == 0 && lifecycle(service, partition) == null) {
      throw new NotFoundException("no data for service '" + service + "' in [" + TimeRange.iso(range.fromMs())
          + ", " + TimeRange.iso(range.toMs()) + "): unknown service, or nothing captured then");
    }
  }
}
