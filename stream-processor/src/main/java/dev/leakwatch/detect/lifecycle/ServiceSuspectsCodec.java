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
 * Binary form of {@link ServiceSuspects}, version 4: {@code 'L' 'L' 4}, service, stream time, latest own
 * capture time, stream time at the latest own report's arrival, instances (name, last seen, memory
 * limit, heap in-use, arrival after the last seen time as 4 bytes; in no set order, see {@link
 * InstanceTable}), suspects (id, site, open flag, opened/last-event/first-growth/last-growth times,
 * per-instance entries with their evidence). Every count is bounded on read.
 *
 * <p>Older versions are still read. Version 3 has no arrival per instance: each instance is taken to
 * have arrived its last seen time plus the service's lead (its latest report's arrival after its
 * latest capture), which judges every instance against the service's own time as the releases that
 * wrote version 3 did, until the instance's next report brings its real arrival. Version 2 has no
 * arrival time of the service either: it is taken to be the latest own capture time, which judges
 * expiry against the stored stream time as the releases that wrote version 2 did. Version 1 has no
 * latest own capture time either: that is then the latest last-seen time of the service's instances.
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
        w.writeByte('L').writeByte('L').writeByte(4);
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
        int version = r.expectHeader('L', 'L', 1, 4, "service suspects");
        ServiceSuspects s = new ServiceSuspects(r.readString("service", SiteCodec.MAX_NAME_BYTES));
        long streamTime = r.readSignedVarLong("streamTimeMs");
        long latestCapture = version >= 2 ? r.readSignedVarLong("latestCaptureMs") : Long.MIN_VALUE;
        long arrivedAt = version >= 3 ? r.readSignedVarLong("arrivedAtMs") : Long.MIN_VALUE;
        // version 3: the service's lead, which every instance's arrival then follows (see the class comment)
        long lead = version == 3 && latestCapture != Long.MIN_VALUE && arrivedAt != Long.MIN_VALUE
                ? Math.max(0, arrivedAt - latestCapture) : 0;
        int ni = r.readCount("instance count", MAX_INSTANCES);
        for (int i = 0; i < ni; i++) {
            String name = r.readString("instance", SiteCodec.MAX_NAME_BYTES);
            long lastSeen = r.readSignedVarLong("lastSeenMs");
            Long limit = SiteCodec.readNullableLong(r, "memoryLimitBytes");
            long heap = r.readSignedVarLong("heapInuseBytes");
            long arrival = version >= 4 ? readArrivalLead(r) : Math.min(lead, Integer.MAX_VALUE);
            InstanceInfo info = new InstanceInfo(lastSeen, limit, heap, lastSeen + arrival);
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

    private static long readArrivalLead(StateReader r) {
        int at = r.position();
        int lead = r.readFixed32("arrival");
        if (lead < 0) {
            throw new StateFormatException("bad arrival " + lead + " ms after the last capture", at);
        }
        return lead;
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
