package dev.leakwatch.detect.lifecycle;

import dev.leakwatch.detect.ProfileKind;
import dev.leakwatch.detect.Site;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Lifecycle state of one suspect of a service: the latest site description, whether OPEN was emitted, and
 * what each instance last reported. Mutated only by {@link SuspectTracker}.
 */
public final class SuspectState {
    private final String id;
    private Site site;
    private boolean open;
    private long openedAtMs;
    private long lastEventMs;
    private long firstGrowthMs;
    private long lastGrowthMs;
    private final TreeMap<String, InstanceGrowth> instances = new TreeMap<>();

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

    /** True when at least one instance's latest report lists the site as growing. */
    public boolean growingAnywhere() {
        return instances.values().stream().anyMatch(InstanceGrowth::growing);
    }

    void grew(String instance, Site latest, InstanceGrowth g, long firstGrowth) {
        site = latest;
        instances.put(instance, g);
        lastGrowthMs = Math.max(lastGrowthMs, g.lastGrowthMs());
        firstGrowthMs = Math.min(firstGrowthMs, firstGrowth);
    }

    void stopped(String instance, ProfileKind source) {
        InstanceGrowth g = instances.get(instance);
        if (g != null && g.growing() && g.source() == source) {
            instances.put(instance, g.stopped());
        }
    }

    void forget(String instance) {
        instances.remove(instance);
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
