package dev.leakwatch.detect.lifecycle;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Lifecycle state of one service: its instances and its suspects (open, or candidates being tracked).
 * Stored by the topology keyed by service; serialized by {@link ServiceSuspectsCodec}. Because OPEN is
 * recorded here before the event leaves, a processor that restarts from this state never emits a second
 * OPEN for the same episode.
 *
 * <p>Mutated only by {@link SuspectTracker}; not thread-safe.
 */
public final class ServiceSuspects {
    private final String service;
    private long streamTimeMs = Long.MIN_VALUE;
    private long latestCaptureMs = Long.MIN_VALUE;
    private final TreeMap<String, InstanceInfo> instances = new TreeMap<>();
    private final TreeMap<String, SuspectState> suspects = new TreeMap<>();
    // Not stored: a time no instance's last-seen time is older than (the oldest, or older). It lets
    // the tracker skip the walk over every instance that looks for gone ones on every report, which
    // made a report cost time in proportion to the service's size.
    private long seenNoEarlierThan = Long.MAX_VALUE;

    public ServiceSuspects(String service) {
        this.service = Objects.requireNonNull(service, "service");
    }

    public String service() {
        return service;
    }

    /**
     * The time expiry is judged against: the latest of this service's capture times and the stream time
     * the topology's punctuator passed in (the task's, which other services sharing the task advance
     * too); {@code Long.MIN_VALUE} before any.
     */
    public long streamTimeMs() {
        return streamTimeMs;
    }

    /**
     * The latest capture time of this service's own reports, ms since the epoch; {@code Long.MIN_VALUE}
     * before any. Unlike {@link #streamTimeMs()} it never moves for another service's traffic.
     */
    public long latestCaptureMs() {
        return latestCaptureMs;
    }

    /** Known instances by name; read-only. */
    public Map<String, InstanceInfo> instances() {
        return Collections.unmodifiableMap(instances);
    }

    /** Suspects by id; read-only. */
    public Map<String, SuspectState> suspects() {
        return Collections.unmodifiableMap(suspects);
    }

    /** True when nothing is tracked: the stored record can be deleted. */
    public boolean isEmpty() {
        return suspects.isEmpty() && instances.isEmpty();
    }

    /** Serialized form, see {@link ServiceSuspectsCodec}. */
    public byte[] toBytes() {
        return ServiceSuspectsCodec.encode(this);
    }

    /** @throws dev.leakwatch.detect.StateFormatException when the bytes are not valid lifecycle state */
    public static ServiceSuspects fromBytes(byte[] bytes) {
        return ServiceSuspectsCodec.decode(bytes);
    }

    void advanceTo(long timeMs) {
        streamTimeMs = Math.max(streamTimeMs, timeMs);
    }

    /** Records one of this service's own capture times (it advances the stream time as well). */
    void captured(long timeMs) {
        latestCaptureMs = Math.max(latestCaptureMs, timeMs);
        advanceTo(timeMs);
    }

    /** Adds or replaces an instance's entry. */
    void putInstance(String name, InstanceInfo info) {
        instances.put(name, info);
        seenNoEarlierThan = Math.min(seenNoEarlierThan, info.lastSeenMs());
    }

    /**
     * The instances gone at {@code nowMs}: not seen for {@code goneAfterMs} or longer. Walks the
     * instances only when the oldest last-seen time may be that old.
     */
    Set<String> goneAt(long nowMs, long goneAfterMs) {
        Set<String> gone = new TreeSet<>();
        if (instances.isEmpty() || nowMs - seenNoEarlierThan < goneAfterMs) {
            return gone;
        }
        long oldestKept = Long.MAX_VALUE;
        for (Map.Entry<String, InstanceInfo> e : instances.entrySet()) {
            long seen = e.getValue().lastSeenMs();
            if (nowMs - seen >= goneAfterMs) {
                gone.add(e.getKey());
            } else {
                oldestKept = Math.min(oldestKept, seen);
            }
        }
        seenNoEarlierThan = oldestKept; // the gone ones are removed by the caller
        return gone;
    }

    /** Removes an instance's entry. */
    void removeInstance(String name) {
        instances.remove(name);
    }

    TreeMap<String, SuspectState> mutableSuspects() {
        return suspects;
    }
}
