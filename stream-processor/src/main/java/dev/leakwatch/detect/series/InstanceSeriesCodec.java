package dev.leakwatch.detect.series;

import dev.leakwatch.detect.DetectionConfig;
import dev.leakwatch.detect.ProfileKind;
import dev.leakwatch.detect.StateFormatException;
import dev.leakwatch.detect.site.CaptureSnapshot;
import dev.leakwatch.detect.state.StateReader;
import dev.leakwatch.detect.state.StateWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Binary form of an {@link InstanceSeries}, version 4. Older versions are still read: version 3 lacks the
 * labels (read as none: the next capture's labels replace them), version 2 also the
 * sites' peaks (each site's peak is then the highest value the window still holds, and no release is
 * known: nothing to climb past), version 1 also {@code lastRestartMs} (no restart seen). Compact because it is rewritten to RocksDB on every
 * capture: times and values are delta-encoded zigzag varints, so a stable site costs about one byte per
 * capture. Layout:
 * <pre>
 * 'L' 'S' version(1)
 * kind(byte) generation(varint) generationStartMs(zigzag) samplingPeriod(varint)
 * lastAllocObjects(zigzag) lastAllocBytes(zigzag) lastRestartMs(zigzag)
 * size(varint) times: first(zigzag) then (size-1) positive deltas(varint)
 * labels (version 4: the {@link InstanceLabels} block, right after the times so that the service
 *   listing reads them with the header)
 * totals: size zigzag deltas from 0
 * siteCount(varint) then per site: id(fixed64) risen(byte) initialLevel(varint) quietUntilMs(zigzag)
 *   peak(varint) climbPast(zigzag, -1: none) lastAlloc(zigzag, -1: unknown) recentCount(varint)
 *   recentCount allocations(varint) tracked(varint) known(varint) known zigzag deltas from 0
 *   then known lifetime codes, zigzag deltas from 0 (0: unknown)
 * </pre>
 * Version 3 gained the lifetimes before it was released (session 12); versions 1 and 2 read as lifetimes
 * unknown (guard 10 not applied until the rate is rebuilt).
 * Decoding checks every count against {@link DetectionConfig#MAX_WINDOW} /
 * {@link DetectionConfig#MAX_TRACKED_SITES} and that times strictly increase.
 */
public final class InstanceSeriesCodec {
    static final int MAGIC0 = 'L';
    static final int MAGIC1 = 'S';
    static final int VERSION = 4;

    private InstanceSeriesCodec() {
    }

    public static byte[] encode(InstanceSeries s) {
        return encode(s, VERSION);
    }

    /** {@code s} in an older {@code version} (1 to {@link #VERSION}), leaving out what it lacks: for upgrade tests. */
    static byte[] encode(InstanceSeries s, int version) {
        if (version < 1 || version > VERSION) {
            throw new IllegalArgumentException("no instance series version " + version);
        }
        StateWriter w = new StateWriter();
        w.writeByte(MAGIC0).writeByte(MAGIC1).writeByte(version);
        w.writeByte(s.kind().ordinal());
        w.writeVarInt(s.generation());
        w.writeSignedVarLong(s.generationStartMs());
        w.writeVarLong(s.samplingPeriod());
        w.writeSignedVarLong(s.lastAllocObjects());
        w.writeSignedVarLong(s.lastAllocBytes());
        if (version >= 2) {
            w.writeSignedVarLong(s.lastRestartMs());
        }
        int n = s.size();
        w.writeVarInt(n);
        for (int i = 0; i < n; i++) {
            if (i == 0) {
                w.writeSignedVarLong(s.timeMs(0));
            } else {
                w.writeVarLong(s.timeMs(i) - s.timeMs(i - 1));
            }
        }
        if (version >= 4) {
            s.labels().write(w);
        }
        writeDeltas(w, totalsOf(s));
        w.writeVarInt(s.sites().size());
        for (TrackedSite t : s.sites()) {
            w.writeFixed64(t.id());
            w.writeByte(t.risen() ? 1 : 0).writeVarLong(t.initialLevel()).writeSignedVarLong(t.quietUntilMs());
            if (version >= 3) {
                w.writeVarLong(t.peak()).writeSignedVarLong(t.climbPast());
                w.writeSignedVarLong(t.lifetimes().lastAlloc());
                long[] recent = t.lifetimes().recentAllocations();
                w.writeVarInt(recent.length);
                for (long a : recent) {
                    w.writeVarLong(a);
                }
            }
            w.writeVarInt(t.tracked());
            long[] v = t.knownValues();
            w.writeVarInt(v.length);
            writeDeltas(w, v);
            if (version >= 3) {
                writeDeltas(w, toLongs(t.knownLifetimes()));
            }
        }
        return w.toByteArray();
    }

    /** @throws StateFormatException naming the field, offset and limit of the first problem */
    public static InstanceSeries decode(byte[] bytes) {
        StateReader r = new StateReader(bytes);
        int version = r.expectHeader(MAGIC0, MAGIC1, 1, VERSION, "instance series");
        ProfileKind kind = r.readEnum(ProfileKind.class, "kind");
        int generation = r.readCount("generation", Integer.MAX_VALUE);
        long generationStart = r.readSignedVarLong("generationStartMs");
        long period = r.readVarLong("samplingPeriod");
        long allocObjects = r.readSignedVarLong("lastAllocObjects");
        long allocBytes = r.readSignedVarLong("lastAllocBytes");
        long lastRestart = version >= 2 ? r.readSignedVarLong("lastRestartMs") : RestartSignal.NONE;
        long[] times = readTimes(r);
        int n = times.length;
        InstanceLabels labels = version >= 4 ? InstanceLabels.read(r, bytes) : InstanceLabels.NONE;
        long[] totals = readDeltas(r, n, "totals");
        int siteCount = r.readCount("site count", DetectionConfig.MAX_TRACKED_SITES);
        List<TrackedSite> sites = new ArrayList<>(siteCount);
        for (int i = 0; i < siteCount; i++) {
            long id = r.readFixed64("site id");
            int at = r.position();
            int risen = r.readByte("site risen flag");
            if (risen > 1) {
                throw new StateFormatException("bad risen flag " + risen + " for site " + i, at);
            }
            long initial = r.readVarLong("site initial level");
            long quietUntil = r.readSignedVarLong("site quietUntilMs");
            long peak = version >= 3 ? r.readVarLong("site peak") : -1;
            at = r.position();
            long climbPast = version >= 3 ? r.readSignedVarLong("site climbPast") : TrackedSite.NO_RELEASE;
            if (climbPast < TrackedSite.NO_RELEASE) {
                throw new StateFormatException("bad climbPast " + climbPast + " for site " + i, at);
            }
            long lastAlloc = CaptureSnapshot.ABSENT;
            long[] recent = new long[0];
            if (version >= 3) {
                at = r.position();
                lastAlloc = r.readSignedVarLong("site lastAlloc");
                if (lastAlloc < CaptureSnapshot.ABSENT) {
                    throw new StateFormatException("bad lastAlloc " + lastAlloc + " for site " + i, at);
                }
                recent = new long[r.readCount("site " + i + " recent allocations", SiteLifetimes.RATE_CAPTURES)];
                for (int k = 0; k < recent.length; k++) {
                    recent[k] = r.readVarLong("site recent allocation");
                }
            }
            int tracked = r.readCount("site " + i + " tracked captures", n);
            int known = r.readCount("site " + i + " known captures", n);
            TrackedSite t = new TrackedSite(id, Math.max(n, 1));
            t.restore(n, readDeltas(r, known, "site " + i + " values"), tracked);
            t.start(quietUntil, initial, risen == 1);
            if (version >= 3) {
                t.restorePeaks(peak, climbPast);
                long[] codes = readDeltas(r, known, "site " + i + " lifetimes");
                int[] c = new int[known];
                for (int k = 0; k < known; k++) {
                    if (codes[k] > SiteLifetimes.MAX_CODE) {
                        throw new StateFormatException("site " + i + " lifetimes[" + k + "] is " + codes[k]
                                + ", above " + SiteLifetimes.MAX_CODE, r.position());
                    }
                    c[k] = (int) codes[k];
                }
                t.lifetimes().restore(n, c, lastAlloc, recent);
            } else {
                t.restorePeaks(max(t.knownValues()), TrackedSite.NO_RELEASE);
            }
            sites.add(t);
        }
        r.expectEnd("instance series");
        return InstanceSeries.restore(kind, generation, generationStart, Math.max(1, period), allocObjects,
                allocBytes, lastRestart, times, totals, sites, labels);
    }

    /**
     * The {@link InstanceSeries#restartSignal()} of an encoded series, reading its header and capture
     * times only (a goroutine capture asks this of its instance's heap series).
     *
     * @throws StateFormatException on malformed bytes
     */
    public static RestartSignal restartSignal(byte[] bytes) {
        StateReader r = new StateReader(bytes);
        return readHead(r);
    }

    /**
     * The latest capture time of an encoded series ({@link RestartSignal#NONE} when it holds no
     * capture) and its labels, reading its header, capture times and labels only: the service listing
     * asks this of every series of a fleet, and a full decode (sites, values, lifetimes) costs far more.
     *
     * @throws StateFormatException on malformed bytes
     */
    public static CatalogFacts catalogFacts(byte[] bytes) {
        StateReader r = new StateReader(bytes);
        long latest = readHead(r).lastCaptureMs();
        InstanceLabels labels = (bytes[2] & 0xFF) >= 4 ? InstanceLabels.read(r, bytes) : InstanceLabels.NONE;
        return new CatalogFacts(latest, labels);
    }

    /** What the service listing reads of a series: its latest capture and the labels it carried. */
    public record CatalogFacts(long latestCaptureMs, InstanceLabels labels) {}

    /** Reads the header and the capture times, up to the labels. */
    private static RestartSignal readHead(StateReader r) {
        int version = r.expectHeader(MAGIC0, MAGIC1, 1, VERSION, "instance series");
        r.readEnum(ProfileKind.class, "kind");
        r.readCount("generation", Integer.MAX_VALUE);
        r.readSignedVarLong("generationStartMs");
        r.readVarLong("samplingPeriod");
        r.readSignedVarLong("lastAllocObjects");
        r.readSignedVarLong("lastAllocBytes");
        long lastRestart = version >= 2 ? r.readSignedVarLong("lastRestartMs") : RestartSignal.NONE;
        long[] times = readTimes(r);
        return new RestartSignal(lastRestart, times.length == 0 ? RestartSignal.NONE : times[times.length - 1]);
    }

    /** The capture count and times: the first zigzag, then strictly positive deltas. */
    private static long[] readTimes(StateReader r) {
        int n = r.readCount("capture count", DetectionConfig.MAX_WINDOW);
        long[] times = new long[n];
        for (int i = 0; i < n; i++) {
            if (i == 0) {
                times[0] = r.readSignedVarLong("time[0]");
            } else {
                int at = r.position();
                long delta = r.readVarLong("time delta");
                if (delta <= 0) {
                    throw new StateFormatException("capture times must strictly increase (delta " + delta + ")", at);
                }
                times[i] = times[i - 1] + delta;
            }
        }
        return times;
    }

    private static long max(long[] values) {
        long m = 0;
        for (long v : values) {
            m = Math.max(m, v);
        }
        return m;
    }

    private static long[] toLongs(int[] values) {
        long[] out = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    private static long[] totalsOf(InstanceSeries s) {
        long[] t = new long[s.size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = s.total(i);
        }
        return t;
    }

    private static void writeDeltas(StateWriter w, long[] values) {
        long prev = 0;
        for (long v : values) {
            w.writeSignedVarLong(v - prev);
            prev = v;
        }
    }

    private static long[] readDeltas(StateReader r, int n, String field) {
        long[] v = new long[n];
        long prev = 0;
        for (int i = 0; i < n; i++) {
            int at = r.position();
            prev += r.readSignedVarLong(field);
            if (prev < 0) {
                throw new StateFormatException(field + "[" + i + "] is negative (" + prev + ")", at);
            }
            v[i] = prev;
        }
        return v;
    }
}
