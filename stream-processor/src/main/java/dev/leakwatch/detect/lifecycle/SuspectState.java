package dev.leakwatch.detect.lifecycle;

import dev.leakwatch.detect.ProfileKind;
import dev.leakwatch.detect.Site;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Lifecycle state of one suspect of a service: the latest site description, whether OPEN was emitted, and
 * what each instance last reported. Mutated only by {@link SuspectTracker}.
 *
 * <p>Every instance's numbers are kept, but evidence points only for {@link #MAX_EVIDENCE_INSTANCES} of
 * them: the state is rewritten with every report of the service, and a leak on every instance of a large
 * service made evidence nine tenths of it (a megabyte at 2,000 instances, and as many points in each event).
 * When an instance's report brings evidence and more than that many entries would hold some, the entry
 * that ranks last loses its points: growing before stopped, then the steeper slope, then the instance
 * name. The rule depends only on what is stored, so a state decoded from its bytes goes on exactly as the
 * object that wrote them.
 */
public final class SuspectState {
    /** Most instances of one suspect whose evidence points are kept (and reported in its events). */
    public static final int MAX_EVIDENCE_INSTANCES = 8;

    private static final Comparator<Map.Entry<String, InstanceGrowth>> EVIDENCE_RANK =
            Comparator.<Map.Entry<String, InstanceGrowth>, Boolean>comparing(e -> !e.getValue().growing())
                    .thenComparing(e -> -e.getValue().slopePerHour())
                    .thenComparing(Map.Entry::getKey);

    private final String id;
    private Site site;
    private boolean open;
    private long openedAtMs;
    private long lastEventMs;
    private long firstGrowthMs;
    private long lastGrowthMs;
    private final TreeMap<String, InstanceGrowth> instances = new TreeMap<>();
    // Not stored: the instances whose entries hold evidence points (derived from the entries).
    private final Set<String> withEvidence = new HashSet<>();
    // Not stored: what relating reads of the site (SuspectRelations), derived from it at most once.
    private SuspectRelations.Footprint footprint;

    SuspectState(String id, Site site, long firstGrowthMs) {
        this.id = Objects.requireNonNull(id, "id");
        this.site = Objects.requireNonNull(site, "site");
        this.firstGrowthMs = firstGrowthMs;
        this.lastGrowthMs = Long.MIN_VALUE;
    }

    static SuspectState restore(String id, Site site, boolean open, long openedAtMs, long lastEventMs,
            long firstGrowthMs, long lastGrowthMs, Map<String, InstanceGrowth> instances) {
        SuspectState s = new SuspectState(id, site, firstGrowthMs);
        s.open = open;
        s.openedAtMs = openedAtMs;
        s.lastEventMs = lastEventMs;
        s.lastGrowthMs = lastGrowthMs;
        s.instances.putAll(instances);
        instances.forEach((name, g) -> {
            if (!g.evidence().isEmpty()) {
                s.withEvidence.add(name);
            }
        });
        return s;
    }

    public String id() {
        return id;
    }

    /** Latest description of the site (frames from the most recent finding). */
    public Site site() {
        return site;
    }

    /** True once OPEN was emitted and until RESOLVED. */
    public boolean open() {
        return open;
    }

    public long openedAtMs() {
        return openedAtMs;
    }

    /** Capture time of the latest event emitted for this suspect. */
    public long lastEventMs() {
        return lastEventMs;
    }

    public long firstGrowthMs() {
        return firstGrowthMs;
    }

    /** Latest capture time at which any instance reported growth; {@code Long.MIN_VALUE} if never. */
    public long lastGrowthMs() {
        return lastGrowthMs;
    }

    /** Per-instance entries, sorted by instance name; read-only view. */
    public Map<String, InstanceGrowth> instances() {
        return Collections.unmodifiableMap(instances);
    }

    /** What {@link SuspectRelations} reads of the site; derived on first use and whenever the site changes. */
    SuspectRelations.Footprint footprint() {
        if (footprint == null) {
            footprint = SuspectRelations.Footprint.of(site);
        }
        return footprint;
    }

    /** True when at least one instance's latest report lists the site as growing. */
    public boolean growingAnywhere() {
        return instances.values().stream().anyMatch(InstanceGrowth::growing);
    }

    void grew(String instance, Site latest, InstanceGrowth g, long firstGrowth) {
        if (latest != site) {
            footprint = null;
        }
        site = latest;
        instances.put(instance, g);
        if (g.evidence().isEmpty()) {
            withEvidence.remove(instance);
        } else {
            withEvidence.add(instance);
            while (withEvidence.size() > MAX_EVIDENCE_INSTANCES) { // more than one only for older states
                dropLastRankedEvidence();
            }
        }
        lastGrowthMs = Math.max(lastGrowthMs, g.lastGrowthMs());
        firstGrowthMs = Math.min(firstGrowthMs, firstGrowth);
    }

    private void dropLastRankedEvidence() {
        Map.Entry<String, InstanceGrowth> last = null;
        for (String name : withEvidence) {
            Map.Entry<String, InstanceGrowth> e = Map.entry(name, instances.get(name));
            if (last == null || EVIDENCE_RANK.compare(e, last) > 0) {
                last = e;
            }
        }
        withEvidence.remove(last.getKey());
        instances.put(last.getKey(), last.getValue().withoutEvidence());
    }

    /**
     * A report of {@code source} from {@code instance} did not list this site as growing: its entry stops
     * growing unless its latest growing report is younger than {@code heldSinceAfter} (a guard holding a
     * still-leaking instance back for a capture or two; the caller passes {@link Long#MAX_VALUE} when the
     * report began a new series, which always stops it).
     */
    void stopped(String instance, ProfileKind source, long heldSinceAfter) {
        InstanceGrowth g = instances.get(instance);
        if (g != null && g.growing() && g.source() == source && g.lastGrowthMs() <= heldSinceAfter) {
            instances.put(instance, g.stopped());
        }
    }

    /**
     * Keeps the {@code keep} entries that rank first (growing before stopped, then the steeper slope, then
     * the instance name; those holding evidence rank so too) and drops the others; returns how many went.
     */
    int keepFirstRanked(int keep) {
        if (instances.size() <= keep) {
            return 0;
        }
        List<String> dropped = instances.entrySet().stream().sorted(EVIDENCE_RANK).skip(keep)
                .map(Map.Entry::getKey).toList();
        dropped.forEach(this::forget);
        return dropped.size();
    }

    void forget(String instance) {
        instances.remove(instance);
        withEvidence.remove(instance);
    }

    void markOpen(long atMs) {
        open = true;
        openedAtMs = atMs;
        lastEventMs = atMs;
    }

    void markEvent(long atMs) {
        lastEventMs = atMs;
    }
}
