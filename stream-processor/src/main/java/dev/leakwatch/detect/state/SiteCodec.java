package dev.leakwatch.detect.state;

import dev.leakwatch.detect.EvidencePoint;
import dev.leakwatch.detect.Site;
import dev.leakwatch.detect.SiteFrame;
import dev.leakwatch.detect.StateFormatException;
import dev.leakwatch.detect.SuspectKind;
import dev.leakwatch.detect.WaitReason;
import java.util.ArrayList;
import java.util.List;

/**
 * Binary form of the value types shared by reports and lifecycle state: sites (kind, wait reason, blamed
 * index, frames) and evidence points. Frames repeat function and file names, so callers that write many
 * sites may prefer to keep the count small; every length is bounded on read.
 */
public final class SiteCodec {
    /** Longest function or file name accepted on read, in UTF-8 bytes. */
    public static final int MAX_NAME_BYTES = 64 * 1024;
    /** Most frames accepted on read for one stack. */
    public static final int MAX_FRAMES = 1024;
    /** Most evidence points accepted on read for one list. */
    public static final int MAX_EVIDENCE = 4096;

    private SiteCodec() {
    }

    public static void writeSite(StateWriter w, Site site) {
        w.writeByte(site.kind().ordinal());
        w.writeByte(site.waitReason() == null ? 0 : site.waitReason().ordinal() + 1);
        w.writeVarInt(site.siteIndex());
        w.writeVarInt(site.stack().size());
        for (SiteFrame f : site.stack()) {
            w.writeString(f.function()).writeString(f.file()).writeSignedVarLong(f.line());
        }
    }

    public static Site readSite(StateReader r) {
        int at = r.position();
        SuspectKind kind = r.readEnum(SuspectKind.class, "site kind");
        int wait = r.readByte("wait reason");
        if (wait > WaitReason.values().length) {
            throw new StateFormatException("wait reason ordinal " + (wait - 1) + " out of range", r.position() - 1);
        }
        int index = r.readCount("site index", MAX_FRAMES);
        int frames = r.readCount("frame count", MAX_FRAMES);
        List<SiteFrame> stack = new ArrayList<>(frames);
        for (int i = 0; i < frames; i++) {
            stack.add(new SiteFrame(r.readString("function", MAX_NAME_BYTES), r.readString("file", MAX_NAME_BYTES),
                    r.readSignedVarLong("line")));
        }
        try {
            return new Site(kind, stack, index, wait == 0 ? null : WaitReason.values()[wait - 1]);
        } catch (IllegalArgumentException e) {
            throw new StateFormatException("inconsistent site: " + e.getMessage(), at);
        }
    }

    public static void writeEvidence(StateWriter w, List<EvidencePoint> points) {
        w.writeVarInt(points.size());
        for (EvidencePoint p : points) {
            w.writeString(p.instance()).writeSignedVarLong(p.timeMs()).writeDouble(p.value());
        }
    }

    public static List<EvidencePoint> readEvidence(StateReader r) {
        int n = r.readCount("evidence count", MAX_EVIDENCE);
        List<EvidencePoint> points = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            points.add(new EvidencePoint(r.readString("evidence instance", MAX_NAME_BYTES),
                    r.readSignedVarLong("evidence time"), r.readDouble("evidence value")));
        }
        return points;
    }

    /** Writes a nullable long as a presence byte and a zigzag varint. */
    public static void writeNullableLong(StateWriter w, Long v) {
        w.writeByte(v == null ? 0 : 1);
        if (v != null) {
            w.writeSignedVarLong(v);
        }
    }

    public static Long readNullableLong(StateReader r, String field) {
        int flag = r.readByte(field + " presence");
        if (flag > 1) {
            throw new StateFormatException("bad presence flag " + flag + " for " + field, r.position() - 1);
        }
        return flag == 0 ? null : r.readSignedVarLong(field);
    }
}
