package dev.leakwatch.detect.lifecycle;

/**
 * What the lifecycle remembers about one instance of a service.
 *
 * @param lastSeenMs       capture time of the instance's latest profile of any kind
 * @param memoryLimitBytes latest known memory limit, null when unknown
 * @param heapInuseBytes   total in-use heap at the latest heap capture, -1 when none yet
 * @param arrivedAtMs      the service's stream time when the instance's latest report arrived, never
 *                         before {@code lastSeenMs}; for state stored before it was kept (format 3 and
 *                         earlier), {@code lastSeenMs} moved on by the service's lead at its latest
 *                         report, which judges the instance as those releases did
 */
public record InstanceInfo(long lastSeenMs, Long memoryLimitBytes, long heapInuseBytes, long arrivedAtMs) {

    /**
     * The instance's silence at stream time {@code streamTimeMs}: the stream time since its latest report
     * arrived, at most {@code maxMs}, never negative.
     */
    public long silenceMs(long streamTimeMs, long maxMs) {
        return Math.max(0, Math.min(streamTimeMs - arrivedAtMs, maxMs));
    }

    /**
     * The instance's own time at stream time {@code streamTimeMs}: its latest capture time moved on by
     * its {@link #silenceMs silence}. An instance whose captures run behind its siblings' (its agent's
     * clock behind, its partition read later) is judged by this, not by how far they are ahead.
     */
    public long ownTimeMs(long streamTimeMs, long maxSilenceMs) {
        return lastSeenMs + silenceMs(streamTimeMs, maxSilenceMs);
    }

    /**
     * Whether a report captured at {@code captureMs} moves on the time of an instance known as {@code
     * prev} (null: not known): only a capture newer than its latest. A duplicate or an out-of-order
     * capture says nothing of the instance's own time, so it moves neither its arrival nor the clock its
     * silence is counted by (the topology's {@code SilenceClock}): else an instance sending only those
     * (an agent re-sending one profile, a clock stepped back) would never be gone, its growth never stale.
     */
    public static boolean movedOnBy(InstanceInfo prev, long captureMs) {
        return prev == null || captureMs > prev.lastSeenMs;
    }
}
