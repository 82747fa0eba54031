package dev.leakwatch.detect.lifecycle;

import dev.leakwatch.detect.state.StateWriter;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Lifecycle state of one service: its instances and its suspects (open, or candidates being tracked).
 * Stored by the topology keyed by service; serialized by {@link ServiceSuspectsCodec}. Because OPEN is
 * recorded here before the event leaves, a processor that restarts from this state never emits a second
 * OPEN for the same episode.
 *
 * <p>Mutated only by {@link SuspectTracker}; not thread-safe.
 */
public final class ServiceSuspects {
    /**
     * Most bytes of instance entries kept (see {@link #instanceBytes()}): half of the 16 MiB record the
     * processor writes the state as, whatever the names' lengths, leaving the rest to the suspects.
     */
    public static final int MAX_INSTANCE_BYTES = 8 << 20;

    /**
     * Most bytes of the stored state that suspects' entries may bring it to ({@link
     * StateBound#encodeWithin}): 12 MiB, under the 16 MiB record the processor writes it as.
     */
    public static final int MAX_STORED_BYTES = 12 << 20;

    private final String service;
    private long streamTimeMs = Long.MIN_VALUE;
    private long latestCaptureMs = Long.MIN_VALUE;
    private long arrivedAtMs = Long.MIN_VALUE;
    private final InstanceTable instances = new InstanceTable();
    private final TreeMap<String, SuspectState> suspects = new TreeMap<>();
    // Not stored: the length of the bytes this state was last encoded as or decoded from (0 before).
    private int storedBytes;

    public ServiceSuspects(String service) {
        this.service = Objects.requireNonNull(service, "service");
    }

    public String service() {
        return service;
    }

    /**
     * The latest stream time of the task this state has seen: when its own reports arrived, and what the
     * topology's punctuator passed in (other services sharing the task advance it too);
     * {@code Long.MIN_VALUE} before any.
     */
    public long streamTimeMs() {
        return streamTimeMs;
    }

    /**
     * The task's stream time when this service's latest report arrived (any instance, any capture
     * time); {@code Long.MIN_VALUE} before any.
     */
    public long arrivedAtMs() {
        return arrivedAtMs;
    }

    /**
     * The service's own time, which expiry is judged against: its latest capture time, moved on by the
     * stream time that has passed since its latest report arrived. A service whose captures run behind
     * the others of its task (agents' clocks behind, a backlog being flushed) is thus judged by its own
     * silence, never by how far the others are ahead; one that is not behind gets the task's stream
     * time. Derived from stored fields only, so a restarted processor judges exactly as the one before.
     */
    public long nowMs() {
        if (latestCaptureMs == Long.MIN_VALUE || arrivedAtMs == Long.MIN_VALUE) {
            return streamTimeMs;
        }
        return latestCaptureMs + Math.max(0, streamTimeMs - arrivedAtMs);
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
        return instances.view();
    }

    /** Suspects by id; read-only. */
    public Map<String, SuspectState> suspects() {
        return Collections.unmodifiableMap(suspects);
    }

    /** True when nothing is tracked: the stored record can be deleted. */
    public boolean isEmpty() {
        return suspects.isEmpty() && instances.view().isEmpty();
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

    /**
     * Records the arrival of one of this service's reports: its capture time, and the task's stream time
     * when it arrived (never taken earlier than the capture or than stream time already seen).
     */
    void arrived(long captureMs, long streamTimeMs) {
        latestCaptureMs = Math.max(latestCaptureMs, captureMs);
        advanceTo(Math.max(captureMs, streamTimeMs));
        arrivedAtMs = this.streamTimeMs;
    }

    /** Sets the times as stored (see {@link ServiceSuspectsCodec}). */
    void restoreTimes(long streamTimeMs, long latestCaptureMs, long arrivedAtMs) {
        this.streamTimeMs = streamTimeMs;
        this.latestCaptureMs = latestCaptureMs;
        this.arrivedAtMs = arrivedAtMs;
    }

    /** Adds or replaces an instance's entry. */
    void putInstance(String name, InstanceInfo info) {
        instances.put(name, info);
    }

    /** The instances gone at this state's stream time: silent for {@code goneAfterMs} or longer (see {@link InstanceTable#goneAt}). */
    Set<String> goneAt(long goneAfterMs, SilenceLimit limit) {
        return instances.goneAt(streamTimeMs, goneAfterMs, limit);
    }

    /** The instance entries' stored size, at most: each name's UTF-8 bytes plus the most its values take. */
    long instanceBytes() {
        return instances.bytes();
    }

    /** Removes an instance's entry. */
    void removeInstance(String name) {
        instances.remove(name);
    }

    /** Writes the instance count and entries (see {@link ServiceSuspectsCodec}). */
    void writeInstances(StateWriter w) {
        instances.writeTo(w);
    }

    /** The length of the bytes this state was last stored as ({@link StateBound#encodeWithin}) or read from. */
    int storedBytes() {
        return storedBytes;
    }

    void storedBytes(int length) {
        storedBytes = length;
    }

    TreeMap<String, SuspectState> mutableSuspects() {
        return suspects;
    }
}
