package dev.leakwatch.detect.lifecycle;

import dev.leakwatch.detect.DetectionConfig;
import dev.leakwatch.detect.ProfileKind;
import dev.leakwatch.detect.SuspectKind;
import dev.leakwatch.detect.SuspectStatus;
import dev.leakwatch.detect.growth.GrowthFinding;
import dev.leakwatch.detect.growth.InstanceReport;
import dev.leakwatch.detect.series.SeriesUpdate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Service-level suspect lifecycle. Fed with every {@link InstanceReport} of a service (in capture-time
 * order per instance) and, optionally, with the passage of stream time ({@link #onTime}); emits:
 * <ul>
 *   <li>{@code OPEN} once per episode, when a site is first reported growing on any instance;</li>
 *   <li>{@code UPDATED} when it is reported growing again at least {@code updateInterval} after its
 *       previous event;</li>
 *   <li>{@code RESOLVED} when no instance has reported it growing for {@code resolveAfter}, or when every
 *       instance that reported it is gone (no capture of any kind for {@code instanceGoneAfter}).</li>
 * </ul>
 * Hysteresis: OPEN needs a growing verdict, which already demands sustained growth; RESOLVED needs a long
 * quiet period, so a site that pauses between two sampled steps does not flap. An instance a guard holds back
 * stays listed in the events for {@code updateInterval} after its last growing report, unless a capture began
 * a new series (restart, gap, collapse) meanwhile. An instance's "growing"
 * counts only while its last growing report is younger than {@code resolveAfter} (an instance that stops
 * sending one profile kind cannot keep a suspect open forever). All times are capture
 * times (stream time), never the wall clock, so a replay behaves like live traffic. Expiry is judged on
 * the service's own time ({@link ServiceSuspects#nowMs()}): its latest capture time moved on by the
 * stream time since its latest report arrived, so a service whose captures run behind the others that
 * share its stream time is judged by its own silence, not by their lead. Likewise each instance is
 * judged by its own time ({@link InstanceTimes}): gone when silent for {@code instanceGoneAfter}, its
 * growth stale {@code resolveAfter} after its own latest growing report, never by its siblings' lead;
 * a {@link SilenceLimit} caps how much stream time counts as an instance's silence.
 *
 * <p>Stateless apart from its configuration; thread-safe. The state object is updated in place.
 */
public final class SuspectTracker {
    /**
     * Most suspects (open or candidate) kept per service; further new sites are ignored until some resolve.
     * So is a new site whose suspect would bring the state as last stored past {@link
     * ServiceSuspects#MAX_STORED_BYTES}: a site's stack may take up to a megabyte (1,024 frames of long
     * names), and a thousand of them would pass the record the state is written as many times over.
     */
    public static final int MAX_SUSPECTS = 1000;
    /** When a service's instances are at their bound, this fraction of them (heard from least recently) makes room. */
    private static final int EVICTED_SHARE = 64;

    private final DetectionConfig config;
    private final SuspectEvents events;

    public SuspectTracker(DetectionConfig config) {
        this.config = config;
        this.events = new SuspectEvents(config);
    }

    /**
     * Applies one instance report that arrives as its own capture time passes: the stream time is the
     * service's own (no other service runs ahead of it).
     *
     * @param state the service's stored state, or null when none is stored yet
     * @throws IllegalArgumentException when the state belongs to another service
     */
    public TrackerStep onReport(ServiceSuspects state, InstanceReport report) {
        return onReport(state, report, report.captureTimeMs());
    }

    /**
     * Applies one instance report.
     *
     * @param state        the service's stored state, or null when none is stored yet
     * @param streamTimeMs the stream time when the report arrived (the task's, which other services
     *                     sharing it may have moved past this report's capture time)
     * @throws IllegalArgumentException when the state belongs to another service
     */
    public TrackerStep onReport(ServiceSuspects state, InstanceReport report, long streamTimeMs) {
        return onReport(state, report, streamTimeMs, SilenceLimit.NONE);
    }

    /**
     * Applies one instance report, counting the service's other instances' silence no further than
     * {@code limit} allows.
     *
     * @param state        the service's stored state, or null when none is stored yet
     * @param streamTimeMs the stream time when the report arrived (the task's, which other services
     *                     sharing it may have moved past this report's capture time)
     * @throws IllegalArgumentException when the state belongs to another service
     */
    public TrackerStep onReport(ServiceSuspects state, InstanceReport report, long streamTimeMs, SilenceLimit limit) {
        ServiceSuspects s = stateFor(state, report.service());
        long now = report.captureTimeMs();
        s.arrived(now, streamTimeMs);
        remember(s, report);
        InstanceTimes times = judge(s, limit);
        List<SuspectEvent> out = new ArrayList<>();
        int refused = 0;
        SuspectKind kind = report.kind().suspectKind();
        if (report.update() != SeriesUpdate.IGNORED && kind != null) {
            Set<String> reported = new TreeSet<>();
            // what new suspects may add to the state as last stored (see admitted)
            long room = ServiceSuspects.MAX_STORED_BYTES - (long) s.storedBytes();
            for (GrowthFinding f : report.findings()) {
                String id = SuspectIds.of(report.service(), f.site());
                SuspectState st = s.mutableSuspects().get(id);
                InstanceGrowth g = new InstanceGrowth(report.kind(), true, f.slopePerHour(), f.currentValue(),
                        f.statistic(), f.zScore(), f.confidence(), now, f.evidence());
                if (st != null) {
                    st.grew(report.instance(), f.site(), g, f.firstGrowthMs());
                } else {
                    if (s.mutableSuspects().size() >= MAX_SUSPECTS) {
                        refused++;
                        continue;
                    }
                    st = new SuspectState(id, f.site(), f.firstGrowthMs());
                    st.grew(report.instance(), f.site(), g, f.firstGrowthMs());
                    int bytes = ServiceSuspectsCodec.encodedSize(st);
                    if (bytes > room) {
                        refused++;
                        continue; // waits, like a site past MAX_SUSPECTS, until some resolve
                    }
                    room -= bytes;
                    s.mutableSuspects().put(id, st);
                }
                reported.add(id);
            }
            // An instance a guard holds back for a capture or two still leaks: it stays listed until
            // updateInterval has passed since it last grew (so every event lists the instances that grew
            // since the one before), unless this capture began a new series (restart, gap, collapse).
            long heldSinceAfter = report.update().startedNewSeries() ? Long.MAX_VALUE
                    : now - config.updateInterval().toMillis();
            for (SuspectState st : s.mutableSuspects().values()) {
                if (!reported.contains(st.id()) && st.site().kind() == kind) {
                    st.stopped(report.instance(), report.kind(), heldSinceAfter);
                }
            }
            for (String id : reported) {
                SuspectState st = s.mutableSuspects().get(id);
                if (!st.open()) {
                    st.markOpen(now);
                    out.add(events.build(s, st, SuspectStatus.OPEN, now, times));
                } else if (now - st.lastEventMs() >= config.updateInterval().toMillis()) {
                    st.markEvent(now);
                    out.add(events.build(s, st, SuspectStatus.UPDATED, now, times));
                }
            }
        }
        out.addAll(expire(s, times));
        return new TrackerStep(s, out, refused);
    }

    /**
     * Advances the service's stream time without a report (e.g. from a punctuator) and emits what
     * expires by the service's own time ({@link ServiceSuspects#nowMs()}): RESOLVED suspects and gone
     * instances. Stream time never moves backwards.
     */
    public TrackerStep onTime(ServiceSuspects state, long streamTimeMs) {
        return onTime(state, streamTimeMs, SilenceLimit.NONE);
    }

    /** As {@link #onTime(ServiceSuspects, long)}, counting each instance's silence no further than {@code limit} allows. */
    public TrackerStep onTime(ServiceSuspects state, long streamTimeMs, SilenceLimit limit) {
        if (state == null) {
            throw new IllegalArgumentException("no state to advance");
        }
        state.advanceTo(streamTimeMs);
        return new TrackerStep(state, expire(state, judge(state, limit)));
    }

    private InstanceTimes judge(ServiceSuspects s, SilenceLimit limit) {
        return InstanceTimes.judge(s, limit, config.instanceGoneAfter().toMillis(), config.resolveAfter().toMillis());
    }

    private static ServiceSuspects stateFor(ServiceSuspects state, String service) {
        if (state == null) {
            return new ServiceSuspects(service);
        }
        if (!state.service().equals(service)) {
            throw new IllegalArgumentException("state of service '" + state.service() + "' given a report of '"
                    + service + "'");
        }
        return state;
    }

    private static void remember(ServiceSuspects s, InstanceReport r) {
        InstanceInfo prev = s.instances().get(r.instance());
        if (prev == null) {
            long needed = InstanceTable.entryBytes(r.instance());
            while (!s.instances().isEmpty() && (s.instances().size() >= ServiceSuspectsCodec.MAX_INSTANCES
                    || s.instanceBytes() + needed > ServiceSuspects.MAX_INSTANCE_BYTES)) {
                forgetLeastRecentlySeen(s, Math.max(1, s.instances().size() / EVICTED_SHARE));
            }
        }
        long lastSeen = prev == null ? r.captureTimeMs() : Math.max(prev.lastSeenMs(), r.captureTimeMs());
        Long limit = r.memoryLimitBytes() != null ? r.memoryLimitBytes()
                : prev == null ? null : prev.memoryLimitBytes();
        long heap = r.kind() == ProfileKind.HEAP && r.update() != SeriesUpdate.IGNORED ? r.totalValue()
                : prev == null ? -1 : prev.heapInuseBytes();
        // arrived at the service's stream time (never before its capture: see ServiceSuspects#arrived),
        // kept within what the stored form holds (InstanceTable#writeTo); moved only by a newer capture
        long arrivedAt = InstanceInfo.movedOnBy(prev, r.captureTimeMs())
                ? Math.min(s.streamTimeMs(), lastSeen + Integer.MAX_VALUE) : prev.arrivedAtMs();
        s.putInstance(r.instance(), new InstanceInfo(lastSeen, limit, heap, arrivedAt));
    }

    /**
     * Makes room for a new instance in a service that already has {@link ServiceSuspectsCodec#MAX_INSTANCES}
     * or {@link ServiceSuspects#MAX_INSTANCE_BYTES} within {@code instanceGoneAfter} (a churning fleet, a
     * producer naming a new instance in every profile): the {@code count} heard from least recently are forgotten
     * as if gone, by the service and its suspects. The state is read back before every report and refuses
     * more instances on read (a table past that would be unreadable: the service's suspects dropped and
     * opened again, on every report), and is written as one changelog record, which the producer refuses
     * over 16 MiB (stopping the pipeline at that record). A share at a time, not one: finding the oldest
     * walks the whole table, which for every new instance would make a stream of new names quadratic.
     */
    private static void forgetLeastRecentlySeen(ServiceSuspects s, int count) {
        // heard from least recently by arrival, not by capture time: an instance whose clock runs behind
        // is as live as its siblings (InstanceTimes). Ties broken by name: the same state evicts the same
        List<String> oldest = s.instances().entrySet().stream()
                .sorted(Map.Entry.<String, InstanceInfo>comparingByValue(
                        Comparator.comparingLong(InstanceInfo::arrivedAtMs)).thenComparing(Map.Entry.comparingByKey()))
                .limit(count).map(Map.Entry::getKey).toList();
        oldest.forEach(name -> forget(s, name));
    }

    /** Removes {@code name} from the service's instances and from every suspect's. */
    private static void forget(ServiceSuspects s, String name) {
        s.removeInstance(name);
        for (SuspectState st : s.mutableSuspects().values()) {
            st.forget(name);
        }
    }

    /**
     * A step as it is to be stored and published: its state {@link StateBound#encodeWithin encoded within} {@code
     * maxBytes}, and its events. An open suspect that the encoding drops had its OPEN published, so its
     * episode ends with a {@code RESOLVED} built from what the state knew of it (its instances as cut to
     * the floor; dated on the service's own time): else every consumer of the events, and the alert they
     * raised, would wait for an end that never comes. A suspect dropped in the very step that opened it
     * was never announced: its OPEN is withheld instead, as a candidate's absence is. A dropped site that
     * grows again later is a new episode, opened once there is room, as after any RESOLVED.
     */
    public StoredStep store(TrackerStep step, int maxBytes) {
        ServiceSuspects s = step.state();
        List<SuspectState> dropped = new ArrayList<>();
        byte[] bytes = StateBound.encodeWithin(s, maxBytes, dropped);
        if (dropped.isEmpty()) {
            return new StoredStep(bytes, step.events(), 0, 0);
        }
        Set<String> droppedIds = new TreeSet<>();
        dropped.forEach(st -> droppedIds.add(st.id()));
        Set<String> openedNow = new TreeSet<>();
        List<SuspectEvent> out = new ArrayList<>();
        for (SuspectEvent e : step.events()) {
            if (e.status() == SuspectStatus.OPEN && droppedIds.contains(e.suspectId())) {
                openedNow.add(e.suspectId());
            } else {
                out.add(e);
            }
        }
        int ended = 0;
        InstanceTimes times = InstanceTimes.unjudged(s);
        for (SuspectState st : dropped) {
            if (st.open() && !openedNow.contains(st.id())) {
                out.add(events.build(s, st, SuspectStatus.RESOLVED, s.nowMs(), times));
                ended++;
            }
        }
        return new StoredStep(bytes, out, ended, dropped.size() - ended);
    }

    /** Resolves quiet suspects and those whose instances are all gone, then forgets gone instances. */
    private List<SuspectEvent> expire(ServiceSuspects s, InstanceTimes times) {
        long now = s.nowMs();
        Set<String> gone = times.gone();
        List<SuspectEvent> out = new ArrayList<>();
        Iterator<SuspectState> it = s.mutableSuspects().values().iterator();
        while (it.hasNext()) {
            SuspectState st = it.next();
            boolean growing = st.instances().entrySet().stream().anyMatch(e -> times.growing(e.getKey(), e.getValue()));
            if (growing) {
                continue;
            }
            boolean allGone = !st.instances().isEmpty() && gone.containsAll(st.instances().keySet());
            boolean quiet = now - st.lastGrowthMs() >= config.resolveAfter().toMillis();
            if (!st.open()) {
                it.remove(); // a candidate that stopped before OPEN leaves no trace
            } else if (quiet || allGone) {
                out.add(events.build(s, st, SuspectStatus.RESOLVED, now, times));
                it.remove();
            }
        }
        gone.forEach(g -> forget(s, g));
        return out;
    }
}
