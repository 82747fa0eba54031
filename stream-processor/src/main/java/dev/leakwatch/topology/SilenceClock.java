package dev.leakwatch.topology;

import dev.leakwatch.detect.lifecycle.ServiceSuspects;
import dev.leakwatch.detect.lifecycle.SilenceLimit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * How long each service of one task, and each of its instances, has been silent as far as this
 * processor can tell: the stream time since its latest report arrived, but no more than the
 * processor's own clock has run meanwhile while the task was being fed.
 *
 * <p>Why: after an outage of the processor (or of the brokers) the backlog is read in partition
 * order, so one service's hour of captures can arrive before another's, and stream time (the task's
 * latest capture) jumps an hour in seconds. Judged by stream time alone, every service whose
 * backlog comes later looked silent for that hour: its instances gone, its suspects RESOLVED, then
 * opened again by its own backlog moments later (a page and a flap for every service of the task).
 * The same holds within a service, whose instances sit on several input partitions: one read behind
 * its siblings looked gone, and its growth stale, at each of its captures. Live, stream time and the
 * clock run alike, so nothing changes there.
 *
 * <p>A step between two calls counts whole when it is at most a tick, or one and a half times the
 * interval at which the task's instances have lately reported ({@link ReportIntervals}) when that is
 * longer, never more than {@code ceilingMs}: so a task fed more sparsely than a tick (a few instances
 * scraped every few minutes alone on their partition) counts its silence as it passes (before, a tick
 * a record: its silent instances gone several times {@code instanceGoneAfter} late; RELIABILITY.md
 * finding 100). A longer step, a task that received nothing for a while (the brokers away, a paused
 * process), counts a tick, so that time is not silence either (findings 89 and 108).
 *
 * <p>Kept in memory only (a service's entry holds two longs per instance of its state, from the first
 * look at it since the task started): a processor that restarts (or takes the task over) counts each
 * silence from when it started, which after an outage is what makes the backlog harmless; a service or
 * instance that was already silent before is taken for gone that much later. Not thread-safe (one per
 * task).
 */
final class SilenceClock {

  private final long tickMs;
  private final long ceilingMs;
  private final ReportIntervals intervals = new ReportIntervals();
  private long lastWallMs = Long.MIN_VALUE;
  // the processor's clock as counted since the task started (0)
  private long clockMs;
  private final Map<String, Arrivals> services = new HashMap<>();

  /**
   * The counted clock at a service's latest report, and at each of its instances' (0: before the task
   * started), every instance of its state included from the first look at it: kept earliest first (an
   * arrival moves its instance last), so the longest any instance's silence may count is read without
   * a walk ({@link SilenceLimit#longestMs}).
   */
  private static final class Arrivals {
    long service;
    final LinkedHashMap<String, Arrival> instances = new LinkedHashMap<>();
  }

  /**
   * An instance's latest report: the counted clock at it, and the processor's clock at the first report
   * of its round (MIN_VALUE: not heard from), from which its next round's interval is measured.
   */
  private record Arrival(long clockMs, long wallMs) {
    static final Arrival BEFORE_START = new Arrival(0, Long.MIN_VALUE);
  }

  /**
   * @param tickMs the longest step counted before the task's instances have reported a few times
   *     ({@code lifecycleTick}), in ms
   * @param ceilingMs the longest step ever counted, in ms (at least {@code tickMs} is)
   */
  SilenceClock(long tickMs, long ceilingMs) {
    this.tickMs = tickMs;
    this.ceilingMs = Math.max(tickMs, ceilingMs);
  }

  /** The longest step of the processor's clock counted now. */
  long maxStepMs() {
    long typical = intervals.typicalMs();
    return Math.min(ceilingMs, Math.max(tickMs, typical + typical / 2));
  }

  /**
   * Moves the counted clock on to the processor's clock {@code wallMs}: all of the step when it is at
   * most {@link #maxStepMs}, a tick when longer. A longer step is the task not fed (the brokers away,
   * a paused process, the host's clock set forward), so it counts a tick, as every step longer than a
   * tick did before session 29: counted as {@code maxStepMs}, up to half of {@code instanceGoneAfter},
   * it took an instance reporting every third of it for gone before its first report after the outage
   * (RELIABILITY.md finding 108). A step back (the host's clock set back) counts nothing, and the
   * clock counts on from there: held at the latest reading instead, it stood still for as long as the
   * step, no one gone meanwhile.
   */
  void advance(long wallMs) {
    if (lastWallMs != Long.MIN_VALUE) {
      long step = Math.max(0, wallMs - lastWallMs);
      clockMs += step <= maxStepMs() ? step : tickMs;
    }
    lastWallMs = wallMs;
  }

  /**
   * A report of {@code service} arrived now (at the latest {@link #advance}), with a capture of {@code
   * instance} newer than its latest; null when it brought none ({@link
   * dev.leakwatch.detect.lifecycle.InstanceInfo#movedOnBy}: a duplicate or an out-of-order capture
   * leaves the instance's silence counting, and tells nothing of its interval). A report less than a
   * third of a tick after its round's first is of that round (the agent's next profile kind, a
   * backlog's next capture) and tells nothing of the interval either: a third, so that an instance
   * reporting more often than that learns intervals under two thirds of a tick, a step of a tick.
   */
  void arrived(String service, String instance) {
    Arrivals a = services.computeIfAbsent(service, s -> new Arrivals());
    a.service = clockMs;
    if (instance != null) {
      Arrival before = a.instances.remove(instance);
      long since = before == null || before.wallMs() == Long.MIN_VALUE ? -1 : lastWallMs - before.wallMs();
      // the rest of a round: an agent stamps each profile kind at its own fetch, a backlog arrives at
      // once; as intervals they made the median a fraction of a second, a step a tick (finding 109)
      boolean sameRound = since >= 0 && since < tickMs / 3;
      if (since >= 0 && !sameRound) {
        intervals.add(since);
      }
      a.instances.put(instance, new Arrival(clockMs, sameRound ? before.wallMs() : lastWallMs));
    }
  }

  /** The service's state was deleted. */
  void forget(String service) {
    services.remove(service);
  }

  /** Keeps, of {@code service}'s instances, those its state still lists ({@code known}); the others were forgotten. */
  void retain(String service, Set<String> known) {
    Arrivals a = services.get(service);
    if (a != null && a.instances.size() > known.size()) {
      a.instances.keySet().retainAll(known);
    }
  }

  /**
   * The stream time to judge {@code state}'s expiry at: {@code streamTimeMs}, but no later than its
   * latest report's arrival plus the clock counted since (since the task started, for a service not
   * heard from since then). State that does not record its arrival (format 1 or 2) is judged at
   * {@code streamTimeMs}, as before.
   */
  long judgeAt(ServiceSuspects state, long streamTimeMs) {
    if (state.arrivedAtMs() == Long.MIN_VALUE) {
      return streamTimeMs;
    }
    Arrivals a = services.get(state.service());
    long waited = clockMs - (a == null ? 0 : a.service);
    long limit = state.arrivedAtMs() > Long.MAX_VALUE - waited ? Long.MAX_VALUE : state.arrivedAtMs() + waited;
    return Math.min(streamTimeMs, limit);
  }

  /**
   * Each instance of {@code service}, whose state is {@code state} (null: none): the clock counted since
   * its latest report (since the task started, for one not heard from since then), the most of its
   * silence to count; and the longest of those, which lets a judgement skip the walk over the instances
   * while none can be gone (after an outage, every report of a service whose instances' partitions are
   * read later walked them all, ~400 µs at 20,000 instances where ~2 µs is the rule).
   */
  SilenceLimit limitFor(String service, ServiceSuspects state) {
    Arrivals a = services.get(service);
    if (a == null) {
      Arrivals seeded = new Arrivals();
      if (state != null) {
        state.instances().keySet().forEach(instance -> seeded.instances.put(instance, Arrival.BEFORE_START));
      }
      services.put(service, seeded);
      a = seeded;
    }
    Arrivals arrivals = a;
    return new SilenceLimit() {
      @Override
      public long maxSilenceMs(String instance) {
        return clockMs - arrivals.instances.getOrDefault(instance, Arrival.BEFORE_START).clockMs();
      }

      @Override
      public long longestMs() {
        return arrivals.instances.isEmpty() ? clockMs : clockMs - arrivals.instances.values().iterator().next().clockMs();
      }
    };
  }
}
