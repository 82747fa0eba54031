package dev.leakwatch.detect.lifecycle;

import dev.leakwatch.detect.series.Utf8;
import dev.leakwatch.detect.state.SiteCodec;
import dev.leakwatch.detect.state.StateWriter;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A service's instances as the lifecycle knows them, with their encoded form kept up to date entry by
 * entry. The lifecycle state is written with every report of the service, and each report changes one
 * instance's entry (its last-seen time, mostly to a varint of the same length): re-encoding every entry
 * for it made a report's cost grow with the service's size. New entries are appended, a changed entry of
 * the same encoded length is overwritten in place; a removal or a change of length re-encodes the whole
 * table once, at the next {@link #writeTo}, in name order.
 *
 * <p>The encoded order is the order of that history, not necessarily by name; readers do not depend on
 * it. A table read back from its bytes ({@link #put} in their order) encodes to the same bytes and goes
 * on exactly as the table that wrote them. Also keeps a lower bound of the entries' arrival times, so
 * that {@link #goneAt} walks the entries only when one can be gone. Not thread-safe.
 */
final class InstanceTable {
    private final TreeMap<String, InstanceInfo> byName = new TreeMap<>();
    // offset and length of each entry's values (after its name) in encoded
    private final Map<String, int[]> valuesAt = new HashMap<>();
    private StateWriter encoded = new StateWriter(64);
    private boolean stale;
    private long arrivedNoEarlierThan = Long.MAX_VALUE;
    private long bytes;

    /** The entries by name; read-only. */
    Map<String, InstanceInfo> view() {
        return Collections.unmodifiableMap(byName);
    }

    InstanceInfo get(String name) {
        return byName.get(name);
    }

    /** Adds or replaces an instance's entry. */
    void put(String name, InstanceInfo info) {
        InstanceInfo old = byName.put(name, info);
        arrivedNoEarlierThan = Math.min(arrivedNoEarlierThan, info.arrivedAtMs());
        if (old == null) {
            bytes += entryBytes(name);
        }
        if (stale || info.equals(old)) {
            return;
        }
        if (old == null) {
            append(name, info);
            return;
        }
        int[] where = valuesAt.get(name);
        StateWriter values = writeValues(new StateWriter(24), info);
        if (values.position() == where[1]) {
            encoded.overwrite(where[0], values);
        } else {
            stale = true;
        }
    }

    /** Removes an instance's entry, if it has one. */
    void remove(String name) {
        if (byName.remove(name) != null) {
            bytes -= entryBytes(name);
            valuesAt.remove(name);
            stale = true;
        }
    }

    /** The entries' encoded size, at most: the sum of {@link #entryBytes} (exact up to the values' varints). */
    long bytes() {
        return bytes;
    }

    /** An entry's encoded size, at most: its name's UTF-8 bytes, their length, and the longest values. */
    static long entryBytes(String name) {
        // name length varint (3 for names under 2 MiB), last seen (10), memory limit (11), heap in-use (10),
        // arrival (4)
        return Utf8.length(name) + 38;
    }

    /**
     * The instances gone at stream time {@code streamTimeMs}: silent ({@link InstanceInfo#silenceMs}, as
     * far as {@code limit} lets it count) for {@code goneAfterMs} or longer. Walks the entries only when
     * the earliest arrival may be that old and the limit's {@link SilenceLimit#longestMs longest} that
     * long. A query: the caller may remove them or not (a judgement with another limit, or one only to
     * build events, removes none), so the bound it leaves counts the gone ones too; once they are
     * removed, the next walk tightens it.
     */
    Set<String> goneAt(long streamTimeMs, long goneAfterMs, SilenceLimit limit) {
        Set<String> gone = new TreeSet<>();
        if (byName.isEmpty() || Math.min(streamTimeMs - arrivedNoEarlierThan, limit.longestMs()) < goneAfterMs) {
            return gone;
        }
        long earliest = Long.MAX_VALUE;
        for (Map.Entry<String, InstanceInfo> e : byName.entrySet()) {
            InstanceInfo info = e.getValue();
            if (info.silenceMs(streamTimeMs, limit.maxSilenceMs(e.getKey())) >= goneAfterMs) {
                gone.add(e.getKey());
            }
            earliest = Math.min(earliest, info.arrivedAtMs());
        }
        arrivedNoEarlierThan = earliest;
        return gone;
    }

    /**
     * Writes the entry count, then every entry: name, last seen, memory limit, heap in-use, and the
     * arrival as 4 bytes after the last seen time (fixed, so that an entry's length rarely changes:
     * see the class comment; at most {@code Integer.MAX_VALUE} ms, ~24 days, later than the capture).
     */
    void writeTo(StateWriter w) {
        if (stale) {
            encoded = new StateWriter(64 + 32 * byName.size());
            valuesAt.clear();
            stale = false;
            byName.forEach(this::append);
        }
        w.writeVarInt(byName.size()).writeRaw(encoded);
    }

    private void append(String name, InstanceInfo info) {
        encoded.writeString(name);
        int at = encoded.position();
        writeValues(encoded, info);
        valuesAt.put(name, new int[] {at, encoded.position() - at});
    }

    private static StateWriter writeValues(StateWriter w, InstanceInfo info) {
        w.writeSignedVarLong(info.lastSeenMs());
        SiteCodec.writeNullableLong(w, info.memoryLimitBytes());
        w.writeSignedVarLong(info.heapInuseBytes());
        long lead = Math.max(0, info.arrivedAtMs() - info.lastSeenMs());
        return w.writeFixed32((int) Math.min(Integer.MAX_VALUE, lead));
    }
}
