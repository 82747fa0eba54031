package dev.leakwatch.detect.site;

import dev.leakwatch.detect.LongIndex;
import dev.leakwatch.detect.ProfileKind;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What detection needs from one capture: per-site values and instance totals. Built from a decoded
 * profile by {@link SiteExtractor}, or directly (tests, replays).
 *
 * <p>Immutable and thread-safe.
 */
public final class CaptureSnapshot {
    /** Marker for counters a profile kind does not carry. */
    public static final long ABSENT = -1;

    private final ProfileKind kind;
    private final long timeMs;
    private final SiteValue[] values;
    private final LongIndex index;
    private volatile Map<Long, SiteValue> sites;
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
        SiteValue[] out = new SiteValue[sites.size()];
        LongIndex ids = new LongIndex(out.length);
        for (SiteValue v : sites) {
            int i = ids.add(v.id());
            out[i] = out[i] == null ? v : out[i].plus(v);
        }
        this.values = ids.size() == out.length ? out : Arrays.copyOf(out, ids.size());
        this.index = ids;
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

    /** Sites by {@link dev.leakwatch.detect.Site#id()}, in extraction order (a map built on first call). */
    public Map<Long, SiteValue> sites() {
        Map<Long, SiteValue> m = sites;
        if (m == null) {
            Map<Long, SiteValue> built = new LinkedHashMap<>();
            for (SiteValue v : values) {
                built.put(v.id(), v);
            }
            m = Collections.unmodifiableMap(built);
            sites = m;
        }
        return m;
    }

    /** Number of distinct sites. */
    public int siteCount() {
        return values.length;
    }

    /** The {@code i}-th site in extraction order, {@code 0 <= i < siteCount()}. */
    public SiteValue site(int i) {
        return values[i];
    }

    /** The position of a site id in extraction order, or -1 when this capture does not have it. */
    public int indexOf(long siteId) {
        return index.indexOf(siteId);
    }

    /** Value of a site in this capture, 0 when absent. */
    public long valueOf(long siteId) {
        int i = index.indexOf(siteId);
        return i < 0 ? 0 : values[i].value();
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
