package dev.leakwatch.detect.series;

/**
 * What the heap series of an instance knows about its process's restarts, for the instance's goroutine
 * series. Heap profiles prove a restart (their cumulative allocation counters go down); a goroutine
 * profile has no such counter, and a fall of its total may as well be a batch of goroutines that ended
 * — reading that as a restart would throw away the history of a leak that goes on. So a goroutine series
 * whose instance also sends heap profiles takes its restarts from them.
 *
 * @param lastRestartMs capture time (ms) of the heap capture that showed the latest restart, or
 *                      {@link #NONE} when the heap series has shown none
 * @param lastCaptureMs capture time (ms) of the heap series' latest capture
 */
public record RestartSignal(long lastRestartMs, long lastCaptureMs) {
    /** No restart seen. */
    public static final long NONE = Long.MIN_VALUE;

    /**
     * Whether the heap series still reports around {@code timeMs}: its latest capture is at most
     * {@code maxGapMs} away. A signal from a heap series that stopped says nothing about restarts since.
     */
    public boolean liveAt(long timeMs, long maxGapMs) {
        return Math.abs(timeMs - lastCaptureMs) <= maxGapMs;
    }

    /**
     * Whether the heap series saw a restart after {@code timeMs}: at a capture later than it (so a
     * restart at the very capture a goroutine series began with is not news to that series).
     */
    public boolean restartedAfter(long timeMs) {
        return lastRestartMs != NONE && lastRestartMs > timeMs;
    }
}
