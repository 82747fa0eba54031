package dev.leakwatch.detect.growth;

import dev.leakwatch.detect.EvidencePoint;
import dev.leakwatch.detect.ProfileKind;
import dev.leakwatch.detect.Site;
import dev.leakwatch.detect.StateFormatException;
import dev.leakwatch.detect.series.SeriesUpdate;
import dev.leakwatch.detect.state.SiteCodec;
import dev.leakwatch.detect.state.StateReader;
import dev.leakwatch.detect.state.StateWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Binary form of an {@link InstanceReport}, version 1: {@code 'L' 'R' 1}, then service, instance (strings),
 * kind (byte), captureTimeMs (zigzag), memory limit (nullable), total (zigzag), update (byte), findings
 * (count, then site, slope, value, statistic, z, confidence, firstGrowthMs, evidence).
 */
public final class InstanceReportCodec {
    /** Most findings accepted on read. */
    public static final int MAX_FINDINGS = 4096;

    private InstanceReportCodec() {
    }

    public static byte[] encode(InstanceReport r) {
        StateWriter w = new StateWriter();
        w.writeByte('L').writeByte('R').writeByte(1);
        w.writeString(r.service()).writeString(r.instance());
        w.writeByte(r.kind().ordinal());
        w.writeSignedVarLong(r.captureTimeMs());
        SiteCodec.writeNullableLong(w, r.memoryLimitBytes());
        w.writeSignedVarLong(r.totalValue());
        w.writeByte(r.update().ordinal());
        w.writeVarInt(r.findings().size());
        for (GrowthFinding f : r.findings()) {
            SiteCodec.writeSite(w, f.site());
            w.writeDouble(f.slopePerHour()).writeSignedVarLong(f.currentValue()).writeString(f.statistic());
            w.writeDouble(f.zScore()).writeDouble(f.confidence()).writeSignedVarLong(f.firstGrowthMs());
            SiteCodec.writeEvidence(w, f.evidence());
        }
        return w.toByteArray();
    }

    /** @throws dev.leakwatch.detect.StateFormatException on malformed bytes */
    public static InstanceReport decode(byte[] bytes) {
        StateReader r = new StateReader(bytes);
        r.expectHeader('L', 'R', 1, 1, "instance report");
        String service = r.readString("service", SiteCodec.MAX_NAME_BYTES);
        String instance = r.readString("instance", SiteCodec.MAX_NAME_BYTES);
        ProfileKind kind = r.readEnum(ProfileKind.class, "kind");
        long time = r.readSignedVarLong("captureTimeMs");
        Long limit = SiteCodec.readNullableLong(r, "memoryLimitBytes");
        long total = r.readSignedVarLong("totalValue");
        SeriesUpdate update = r.readEnum(SeriesUpdate.class, "update");
        int n = r.readCount("finding count", MAX_FINDINGS);
        List<GrowthFinding> findings = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int at = r.position();
            Site site = SiteCodec.readSite(r);
            double slope = r.readDouble("slope");
            long value = r.readSignedVarLong("currentValue");
            String statistic = r.readString("statistic", 256);
            double z = r.readDouble("z");
            double confidence = r.readDouble("confidence");
            long first = r.readSignedVarLong("firstGrowthMs");
            List<EvidencePoint> evidence = SiteCodec.readEvidence(r);
            try {
                findings.add(new GrowthFinding(site, slope, value, statistic, z, confidence, first, evidence));
            } catch (IllegalArgumentException e) {
                throw new StateFormatException("finding " + i + ": " + e.getMessage(), at);
            }
        }
        r.expectEnd("instance report");
        return new InstanceReport(service, instance, kind, time, limit, total, update, findings);
    }
}
