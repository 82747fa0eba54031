package dev.leakwatch.detect.lifecycle;

import dev.leakwatch.detect.ProfileKind;
import dev.leakwatch.detect.Site;
import dev.leakwatch.detect.StateFormatException;
import dev.leakwatch.detect.state.SiteCodec;
import dev.leakwatch.detect.state.StateReader;
import dev.leakwatch.detect.state.StateWriter;
import java.util.Map;
import java.util.TreeMap;

/**
 * Binary form of {@link ServiceSuspects}, version 3: {@code 'L' 'L' 3}, service, stream time, latest own
 * capture time, stream time at the latest own report's arrival, instances (name, last seen, memory
 * limit, heap in-use; in no set order, see {@link InstanceTable}), suspects (id, site, open flag,
 * opened/last-event/first-growth/last-growth times, per-instance entries with their evidence). Every
 * count is bounded on read.
 *
 * <p>Older versions are still read. Version 2 has no arrival time: it is taken to be the latest own
 * capture time, which judges expiry against the stored stream time as the releases that wrote
 * version 2 did, until the service's next report brings its real arrival. Version 1 has no latest own
 * capture time either: that is then the latest last-seen time of the service's instances.
 */
public final class ServiceSuspectsCodec {
    /** Most instances accepted on read. */
    public static final int MAX_INSTANCES = 100_000;
    /** Most suspects accepted on read (the tracker never keeps more than {@link SuspectTracker#MAX_SUSPECTS}). */
    public static final int MAX_SUSPECTS = 10_000;

    private ServiceSuspectsCodec() {
    }

    public static byte[] encode(ServiceSuspects s) {
        StateWriter w = new StateWriter();
        w.writeByte('L').writeByte('L').writeByte(3);
        w.writeString(s.service()).writeSignedVarLong(s.streamTimeMs()).writeSignedVarLong(s.latestCaptureMs())
                .writeSignedVarLong(s.arrivedAtMs());
        s.writeInstances(w);
        w.writeVarInt(s.suspects().size());
        for (SuspectState st : s.suspects().values()) {
            writeSuspect(w, st);
        }
        return w.toByteArray();
    }

    /** The bytes {@code st} takes in the encoded state. */
    static int encodedSize(SuspectState st) {
        StateWriter w = new StateWriter();
        writeSuspect(w, st);
        return w.position();
    }

    private static void writeSuspect(StateWriter w, SuspectState st) {
        w.writeString(st.id());
        SiteCodec.writeSite(w, st.site());
        w.writeByte(st.open() ? 1 : 0);
        w.writeSignedVarLong(st.openedAtMs()).writeSignedVarLong(st.lastEventMs());
        w.writeSignedVarLong(st.firstGrowthMs()).writeSignedVarLong(st.lastGrowthMs());
        w.writeVarInt(st.instances().size());
        for (Map.Entry<String, InstanceGrowth> e : st.instances().entrySet()) {
            InstanceGrowth g = e.getValue();
            w.writeString(e.getKey()).writeByte(g.source().ordinal()).writeByte(g.growing() ? 1 : 0);
            w.writeDouble(g.slopePerHour()).writeSignedVarLong(g.currentValue()).writeString(g.statistic());
            w.writeDouble(g.zScore()).writeDouble(g.confidence()).writeSignedVarLong(g.lastGrowthMs());
            SiteCodec.writeEvidence(w, g.evidence());
        }
    }

    /** @throws dev.leakwatch.detect.StateFormatException on malformed bytes */
    public static ServiceSuspects decode(byte[] bytes) {
        StateReader r = new StateReader(bytes);
        int version = r.expectHeader('L', 'L', 1, 3, "service suspects");
        ServiceSuspects s = new ServiceSuspects(r.readString("service", SiteCodec.MAX_NAME_BYTES));
        long streamTime = r.readSignedVarLong("streamTimeMs");
        long latestCapture = version >= 2 ? r.readSignedVarLong("latestCaptureMs") : Long.MIN_VALUE;
        long arrivedAt = version >= 3 ? r.readSignedVarLong("arrivedAtMs") : Long.MIN_VALUE;
        int ni = r.readCount("instance count", MAX_INSTANCES);
        for (int i = 0; i < ni; i++) {
            String name = r.readString("instance", SiteCodec.MAX_NAME_BYTES);
            InstanceInfo info = new InstanceInfo(r.readSignedVarLong("lastSeenMs"),
                    SiteCodec.readNullableLong(r, "memoryLimitBytes"), r.readSignedVarLong("heapInuseBytes"));
            s.putInstance(name, info);
            if (version < 2) {
                latestCapture = Math.max(latestCapture, info.lastSeenMs());
            }
        }
        s.restoreTimes(streamTime, latestCapture, version >= 3 ? arrivedAt : latestCapture);
        int ns = r.readCount("suspect count", MAX_SUSPECTS);
        for (int i = 0; i < ns; i++) {
            String id = r.readString("suspect id", 256);
            Site site = SiteCodec.readSite(r);
            boolean open = readFlag(r, "open");
            long openedAt = r.readSignedVarLong("openedAtMs");
            long lastEvent = r.readSignedVarLong("lastEventMs");
            long firstGrowth = r.readSignedVarLong("firstGrowthMs");
            long lastGrowth = r.readSignedVarLong("lastGrowthMs");
            int ng = r.readCount("suspect instance count", MAX_INSTANCES);
            Map<String, InstanceGrowth> growth = new TreeMap<>();
            for (int j = 0; j < ng; j++) {
                String inst = r.readString("instance", SiteCodec.MAX_NAME_BYTES);
                ProfileKind source = r.readEnum(ProfileKind.class, "source kind");
                boolean growing = readFlag(r, "growing");
                growth.put(inst, new InstanceGrowth(source, growing, r.readDouble("slope"),
                        r.readSignedVarLong("currentValue"), r.readString("statistic", 256), r.readDouble("z"),
                        r.readDouble("confidence"), r.readSignedVarLong("lastGrowthMs"), SiteCodec.readEvidence(r)));
            }
            s.mutableSuspects().put(id, SuspectState.restore(id, site, open, openedAt, lastEvent, firstGrowth,
                    lastGrowth, growth));
        }
        r.expectEnd("service suspects");
        s.storedBytes(bytes.length);
        return s;
    }

    private static boolean readFlag(StateReader r, String field) {
        int at = r.position();
        int b = r.readByte(field);
        if (b > 1) {
            throw new StateFormatException("bad flag " + b + " for " + field, at);
        }
        return b == 1;
    }
}
