package dev.leakwatch.detect.series;

import dev.leakwatch.detect.site.CaptureSnapshot;
import java.util.Arrays;

/**
 * A tracked heap site's mean object lifetime at each capture, by Little's law: in-use bytes divided by the
 * site's allocation rate. Load-proportional memory (a buffer per in-flight request) keeps a constant lifetime
 * whatever the load, while a leak's retained objects never die, so its lifetime grows with the leak's age
 * (guard 10, {@link dev.leakwatch.detect.growth.LifetimeTrend}).
 *
 * <p>The rate is the site's cumulative {@code alloc_space} over the last {@link #RATE_CAPTURES} captures,
 * and it is known only when that span holds at least {@link #MIN_SAMPLED_OBJECTS} sampling periods of
 * allocation: a rate from one or two sampled objects is Poisson noise (a slow leak at 512 KiB sampling
 * allocates a handful in a window), so such sites get no lifetime and the guard leaves them alone. And only
 * when the site allocated in at least {@link #MIN_ALLOCATING_INTERVALS} of those intervals: memory that
 * grows with load is allocated all the time, while a slice or buffer that leaks by being reallocated
 * ({@code append} to a slice that is never trimmed: each growth allocates a larger array and frees the old
 * one) allocates in bursts, and the rate of a span holding one burst makes its lifetime about the span
 * itself at every reallocation — flat, although the slice only grows. Lifetimes
 * are stored as codes on a log scale ({@link #STEPS_PER_DOUBLING} per doubling; {@link #UNKNOWN} when not
 * known), which keeps their order — all the trend test reads — in about a byte per capture.
 *
 * <p>Kept aligned with its {@link TrackedSite}'s values; mutated only by it and its series.
 */
final class SiteLifetimes {
    /** Captures over which the allocation rate is taken. */
    static final int RATE_CAPTURES = 5;
    /** Sampling periods that must have been allocated over that span for the rate to be known. */
    static final int MIN_SAMPLED_OBJECTS = 4;
    /** Intervals of those captures in which the site must have allocated: steady allocation, not bursts. */
    static final int MIN_ALLOCATING_INTERVALS = RATE_CAPTURES - 1;
    /** Lifetime code of a capture whose lifetime is not known. */
    static final int UNKNOWN = 0;
    static final double STEPS_PER_DOUBLING = 16;
    /** The largest code: a lifetime of 2^63 ms. */
    static final int MAX_CODE = 1 + 64 * (int) STEPS_PER_DOUBLING;

    private long lastAlloc = CaptureSnapshot.ABSENT;
    // allocations between consecutive captures: a ring of the last `recentCount` (at most RATE_CAPTURES),
    // the newest at `newest`; a fixed array, as every tracked heap site updates it at every capture
    private final long[] recent = new long[RATE_CAPTURES];
    private int recentCount;
    private int newest = RATE_CAPTURES - 1;
    private int[] codes;
    private int size;

    SiteLifetimes(int capacity) {
        codes = new int[Math.max(capacity, 1)];
    }

    /** Appends an unknown lifetime for a new capture, dropping the oldest one first when asked. */
    void append(boolean dropOldest) {
        if (dropOldest) {
            dropOldest();
        }
        if (size == codes.length) {
            codes = Arrays.copyOf(codes, codes.length * 2);
        }
        codes[size++] = UNKNOWN;
    }

    void dropOldest() {
        System.arraycopy(codes, 1, codes, 0, size - 1);
        size--;
    }

    /** Unknown lifetimes for {@code count} earlier captures (a site admitted late). */
    void padBefore(int count) {
        codes = new int[Math.max(codes.length, count * 2)];
        size = count;
    }

    /**
     * Records the latest capture's allocations and, when the rate over the last {@link #RATE_CAPTURES}
     * captures is known, its lifetime.
     *
     * @param allocBytes the site's cumulative allocated bytes, or {@link CaptureSnapshot#ABSENT} when unknown
     *                   (which forgets the rate's history: the next ones are unknown until it is rebuilt)
     * @param inuse      the site's in-use bytes now
     * @param spanMs     time from the capture {@link #RATE_CAPTURES} back to this one, or a negative value
     *                   when the series holds fewer captures
     * @param quantum    heap sampling period in bytes
     */
    void observe(long allocBytes, long inuse, long spanMs, long quantum) {
        if (allocBytes < 0 || lastAlloc < 0 || allocBytes < lastAlloc) {
            recentCount = 0;
        } else {
            newest = (newest + 1) % RATE_CAPTURES;
            recent[newest] = allocBytes - lastAlloc;
            recentCount = Math.min(recentCount + 1, RATE_CAPTURES);
        }
        lastAlloc = allocBytes;
        if (recentCount < RATE_CAPTURES || spanMs <= 0) {
            return;
        }
        long allocated = 0;
        int allocating = 0;
        for (long a : recent) {
            allocated += a;
            if (a > 0) {
                allocating++;
            }
        }
        if (allocated >= MIN_SAMPLED_OBJECTS * quantum && allocating >= MIN_ALLOCATING_INTERVALS) {
            double lifetimeMs = (double) inuse * spanMs / allocated;
            codes[size - 1] = 1 + (int) Math.round(STEPS_PER_DOUBLING * log2(1 + lifetimeMs));
        }
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    /** The codes of the last {@code n} captures, oldest first. */
    int[] last(int n) {
        return Arrays.copyOfRange(codes, size - n, size);
    }

    long lastAlloc() {
        return lastAlloc;
    }

    /** The last allocations between consecutive captures, oldest first (at most {@link #RATE_CAPTURES}). */
    long[] recentAllocations() {
        long[] out = new long[recentCount];
        for (int k = 0; k < recentCount; k++) {
            out[k] = recent[(newest - recentCount + 1 + k + RATE_CAPTURES) % RATE_CAPTURES];
        }
        return out;
    }

    /** Restores state read by the codec: {@code knownCodes} are the last captures' of {@code seriesSize}. */
    void restore(int seriesSize, int[] knownCodes, long lastAllocBytes, long[] recentAllocations) {
        codes = new int[Math.max(seriesSize, 1)];
        size = seriesSize;
        System.arraycopy(knownCodes, 0, codes, seriesSize - knownCodes.length, knownCodes.length);
        lastAlloc = lastAllocBytes;
        recentCount = Math.min(recentAllocations.length, RATE_CAPTURES);
        newest = recentCount - 1 < 0 ? RATE_CAPTURES - 1 : recentCount - 1;
        System.arraycopy(recentAllocations, recentAllocations.length - recentCount, recent, 0, recentCount);
    }
}
