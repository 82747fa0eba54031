package dev.leakwatch.detect.lifecycle;

/**
 * When an instance's memory reaches its limit if it keeps growing at the current rate.
 *
 * <p>Compares in-use heap (live bytes after the last GC) with the limit, and lets it grow by what is seen
 * growing: heap sites, and leaking goroutines at {@link #GOROUTINE_STACK_BYTES} each. A Go process needs
 * headroom above its live heap (with GOGC=100 the heap goal is about twice the live heap, unless GOMEMLIMIT
 * makes the GC work harder) and holds its goroutines' stacks besides, so the real out-of-memory usually
 * comes earlier than this projection: it is an upper bound.
 */
public final class ExhaustionProjection {
    /**
     * Bytes of memory a leaked goroutine is counted for: Go's smallest goroutine stack (2 KiB since Go 1.4).
     * Goroutine stacks live outside the heap and are not in heap profiles, and a parked goroutine's stack is
     * often larger (it keeps the size its deepest call needed until the GC shrinks it), so this is a lower
     * bound; what a leaked goroutine holds on the heap counts through the heap sites growing beside it.
     */
    public static final long GOROUTINE_STACK_BYTES = 2048;

    private ExhaustionProjection() {
    }

    /**
     * @param nowMs             time of the latest measurement
     * @param inuseBytes        in-use heap at {@code nowMs}
     * @param bytesPerHour      growth rate; ≤ 0 means no exhaustion
     * @param memoryLimitBytes  the limit; null means unknown
     * @return projected time in ms since the epoch, {@code nowMs} when already at or over the limit, or null
     *         when no limit is known, nothing grows or the projection overflows
     */
    public static Long project(long nowMs, long inuseBytes, double bytesPerHour, Long memoryLimitBytes) {
        if (memoryLimitBytes == null || inuseBytes < 0 || !(bytesPerHour > 0)) {
            return null;
        }
        if (inuseBytes >= memoryLimitBytes) {
            return nowMs;
        }
        double ms = (memoryLimitBytes - inuseBytes) / bytesPerHour * 3_600_000.0;
        if (ms > Long.MAX_VALUE - (double) nowMs) {
            return null;
        }
        return nowMs + (long) Math.ceil(ms);
    }
}
