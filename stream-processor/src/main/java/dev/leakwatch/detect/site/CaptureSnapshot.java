package dev.leakwatch.detect.site;

import dev.leakwatch.detect.ProfileKind;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What detection needs from one capture: per-site values and instance totals. Built from a decoded
 * profile by {@link SiteExtractor}, or directly (tests, replays).
 *
 * <p>Immutable.
 */
public final class CaptureSnapshot {
    /** Marker for counters a profile kind does not carry. */
    public static final long ABSENT = -1;

    private final ProfileKind kind;
    private final long timeMs;
    private final Map<Long, SiteValue> sites;
    private final long totalValue;
    private final long cumulativeAllocObjects;
    private final long cumulativeAllocBytes;
    private final long samplingPeriod;

    /**
     * @param kind                   profile kind; never null
     * @param timeMs                 capture time, ms since the Unix epoch (the agent's capture time)
     * @param sites                  per-site values; sites with value 0 may be omitted
     * @param totalValue             instance total: in-use heap bytes (heap) or goroutines (goroutine kinds)
     * @param cumulativeAllocObjects heap: objects allocated since process start; {@link #ABSENT} otherwise
     * @param cumulativeAllocBytes   heap: bytes allocated since process start; {@link #ABSENT} otherwise
     * @param samplingPeriod         heap: MemProfileRate in bytes (profile period); 1 for goroutine kinds
     */
    public CaptureSnapshot(ProfileKind kind, long timeMs, Collection<SiteValue> sites, long totalValue,
            long cumulativeAllocObjects, long cumulativeAllocBytes, long samplingPeriod) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.timeMs = timeMs;
        Map<Long, SiteValue> m = new LinkedHashMap<>();
        for (SiteValue v : sites) {
            SiteValue prev = m.putIfAbsent(v.site().id(), v);
            if (prev != null) {
                m.put(v.site().id(), new SiteValue(prev.site(), prev.value() + v.value()));
            }
        }
        this.sites = Collections.unmodifiableMap(m);
        this.totalValue = totalValue;
        this.cumulativeAllocObjects = cumulativeAllocObjects;
        this.cumulativeAllocBytes = cumulativeAllocBytes;
        this.samplingPeriod = Math.max(1, samplingPeriod);
    }

    public ProfileKind kind() {
        return kind;
    }

    public long timeMs() {
        return timeMs;
    }

    /** Sites by {@link dev.leakwatch.detect.Site#id()}, in extraction order. */
    public Map<Long, SiteValue> sites() {
        return sites;
    }

    /** Value of a site in this capture, 0 when absent. */
    public long valueOf(long siteId) {
        SiteValue v = sites.get(siteId);
        return v == null ? 0 : v.value();
    }

    public long totalValue() {
        return totalValue;
    }

    public long cumulativeAllocObjects() {
        return cumulativeAllocObjects;
    }

    public long cumulativeAllocBytes() {
        return cumulativeAllocBytes;
    }

    /** Sampling period: bytes per heap sample (MemProfileRate) or 1 for goroutine counts; at least 1. */
    public long samplingPeriod() {
        return samplingPeriod;
    }
}
