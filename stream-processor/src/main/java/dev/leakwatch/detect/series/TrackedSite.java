package dev.leakwatch.detect.series;

import dev.leakwatch.detect.site.CaptureSnapshot;
import java.util.Arrays;
import java.util.Comparator;

/**
 * One site tracked by an {@link InstanceSeries}: its id and its values at the series' captures.
 *
 * <p>A site is known for the series' last {@link #known()} captures. A site that appears in a free slot was
 * absent (0) from the earlier captures, so it is known from the series start; a site admitted in place of
 * an evicted one may have been present but untracked, so its earlier values are unknown, <em>not</em>
 * zero — a big stable site that re-enters tracking must not look like a jump from nothing.
 *
 * <p>Mutated only by its series; read-only for everyone else.
 */
public final class TrackedSite {
    /** Captures over which {@link #retentionFloor()} takes the floor. */
    static final int SCORE_CAPTURES = 8;
    /** {@link #climbPast()} of a site that has never given back a rise. */
    public static final long NO_RELEASE = -1;
    /**
     * Share of its rise (peak over initial level) a site must give back, at least, for the fall to count as a
     * release: a quarter tells a sweep or the end of a batch from the jitter of a growing site.
     */
    static final double RELEASE_SHARE = 0.25;
    /**
     * Standard deviations of a sampled heap peak's own noise that a later peak must exceed it by: a heap site
     * of {@code v} bytes sampled every {@code q} bytes holds about {@code v/q} sampled objects, a Poisson
     * count, so its value varies by about {@code sqrt(v·q)} from one population of objects to the next.
     */
    static final double PEAK_NOISE_SIGMAS = 3;

    private final long id;
    private long[] values;
    private int size;
    private int known;
    private int tracked;
    private long initialLevel;
    private long quietUntilMs;
    private boolean risen;
    private long peak;
    private long climbPast = NO_RELEASE;
    private final SiteLifetimes lifetimes;

    TrackedSite(long id, int capacity) {
        this.id = id;
        this.values = new long[capacity];
        this.lifetimes = new SiteLifetimes(capacity);
    }

    /** {@link dev.leakwatch.detect.Site#id()} of the site. */
    public long id() {
        return id;
    }

    /** Number of most recent captures whose value is known. */
    public int known() {
        return known;
    }

    /** The known values, oldest first ({@link #known()} long), aligned with the series' last captures. */
    public long[] knownValues() {
        return Arrays.copyOfRange(values, size - known, size);
    }

    /**
     * The site's mean object lifetime codes ({@link SiteLifetimes}) aligned with {@link #knownValues()}:
     * larger codes are longer lifetimes, 0 where not known (goroutine sites, too few sampled allocations).
     */
    public int[] knownLifetimes() {
        return lifetimes.last(known);
    }

    SiteLifetimes lifetimes() {
        return lifetimes;
    }

    /**
     * Latest capture time at which the site was still within the quiet tolerance of its initial level (0 when
     * it was absent before it was first seen, else its value at the series' first capture): where a rise, if
     * any, began. Equals the series start
     * when the site rose from the start or when nothing is known about its past (admitted in place of an
     * evicted site).
     */
    public long quietUntilMs() {
        return quietUntilMs;
    }

    /** The level the site started from in this series (0 when it appeared after the series began). */
    public long initialLevel() {
        return initialLevel;
    }

    /** True once the site has risen above its initial level. */
    public boolean risen() {
        return risen;
    }

    /**
     * The highest value the site has had in this series since it was admitted, window slides included (the
     * window may no longer hold it).
     */
    public long peak() {
        return peak;
    }

    /**
     * The level a site that gave back a large part of its rise must climb past before its growth counts again
     * ({@link dev.leakwatch.detect.growth.GrowthAnalyzer}, guard 9), or {@link #NO_RELEASE}. A leak's memory is
     * never given back, so it climbs past every earlier peak; a TTL cache swept in bulk or a batch that ends
     * gives its rise back and climbs to about the same peak again. Set at a release (a fall of at least
     * {@link #RELEASE_SHARE} of the peak's rise over the initial level, and at least the minimum rise) to the
     * peak plus a margin: the quiet tolerance, and for a sampled heap site {@link #PEAK_NOISE_SIGMAS} of its
     * peak's sampling noise. Moved only by a release after the site climbed past it, so a slow leak under a
     * large cycle is not hidden by a target that creeps up with every cycle. Kept across window slides for the
     * life of the series: a cycle longer than the window is still seen as one.
     */
    public long climbPast() {
        return climbPast;
    }

    /**
     * Records the site's starting point when it is admitted.
     *
     * @param quietUntil time of the last capture known to be at the initial level
     * @param level      the initial level
     * @param hasRisen   whether the admitting value is already a rise
     */
    void start(long quietUntil, long level, boolean hasRisen) {
        quietUntilMs = quietUntil;
        initialLevel = level;
        risen = hasRisen;
        peak = Math.max(peak, lastValue());
    }

    /**
     * Follows the quiet stretch (extends it while the value stays within {@code tolerance} of the initial
     * level) and the peaks (see {@link #climbPast()}).
     *
     * @param quantum the heap sampling period in bytes, or 0 for a count that is not sampled (goroutines)
     */
    void observe(long timeMs, long value, double tolerance, long quantum) {
        if (!risen) {
            if (value <= initialLevel + tolerance) {
                quietUntilMs = timeMs;
            } else {
                risen = true;
            }
        }
        double fall = peak - value;
        boolean release = fall > 0 && fall >= 2 * tolerance && fall >= RELEASE_SHARE * (peak - initialLevel);
        if (release && (climbPast == NO_RELEASE || peak >= climbPast)) {
            double noise = quantum > 0 ? PEAK_NOISE_SIGMAS * Math.sqrt((double) peak * quantum) : 0;
            climbPast = peak + (long) Math.ceil(Math.max(tolerance, noise));
        }
        peak = Math.max(peak, value);
    }

    /** Restores the peaks read by the codec (after {@link #restore} and {@link #start}). */
    void restorePeaks(long peakValue, long climbPastLevel) {
        peak = peakValue;
        climbPast = climbPastLevel;
    }

    /** Value at the series' latest capture. */
    public long lastValue() {
        return size == 0 ? 0 : values[size - 1];
    }

    void append(long value, boolean dropOldest) {
        if (dropOldest) {
            dropOldest();
        }
        if (size == values.length) {
            values = Arrays.copyOf(values, values.length * 2);
        }
        values[size++] = value;
        lifetimes.append(false);
        known++;
        tracked = Math.min(tracked + 1, size);
    }

    void dropOldest() {
        System.arraycopy(values, 1, values, 0, size - 1);
        lifetimes.dropOldest();
        size--;
        known = Math.min(known, size);
    }

    /**
     * Aligns a newly tracked site with a series that already has {@code count} earlier captures.
     *
     * @param absentBefore true when the site was absent from those captures (value 0, a fact of the
     *                     profiles); false when it may have been present but untracked (unknown)
     */
    void padBefore(int count, boolean absentBefore) {
        if (count > values.length) {
            values = Arrays.copyOf(values, count * 2);
        }
        Arrays.fill(values, 0, count, 0);
        lifetimes.padBefore(count);
        size = count;
        known = absentBefore ? count : 0;
    }

    /** Captures since the site was admitted (at most the series size). */
    public int tracked() {
        return tracked;
    }

    /** Restores state read by the codec. */
    void restore(int seriesSize, long[] knownValues, int trackedCaptures) {
        tracked = Math.min(trackedCaptures, seriesSize);
        values = new long[Math.max(seriesSize, 1)];
        size = seriesSize;
        known = knownValues.length;
        System.arraycopy(knownValues, 0, values, seriesSize - known, known);
        lifetimes.restore(seriesSize, new int[0], CaptureSnapshot.ABSENT, new long[0]);
    }

    /**
     * Retention floor: the site's minimum over its known values among the series' last {@link
     * #SCORE_CAPTURES} captures (0 when none is known). Leaking and big stable sites have high floors;
     * churn and spikes that dropped back have floors of 0. A site tracked for only a few captures is
     * judged by what is known of it: counting its unknown past as 0 made every young site, however
     * large, the weakest, so a large new site was pushed out again by whichever small one came next.
     */
    long retentionFloor() {
        int m = Math.min(Math.min(SCORE_CAPTURES, size), known);
        if (m <= 0) {
            return 0;
        }
        long floor = Long.MAX_VALUE;
        for (int i = size - m; i < size; i++) {
            floor = Math.min(floor, values[i]);
        }
        return floor;
    }

    /**
     * Orders sites for eviction, weakest first: lowest {@link #retentionFloor()}; then sites holding nothing
     * now; then the most recently admitted (least evidence); then the lowest current value. Churn and
     * spikes that dropped back to 0 make room before a site that keeps holding memory — such as a young
     * leak that is still small.
     */
    static final Comparator<TrackedSite> WEAKEST_FIRST =
            Comparator.comparingLong(TrackedSite::retentionFloor)
                    .thenComparing(t -> t.lastValue() != 0)
                    .thenComparingInt(TrackedSite::tracked)
                    .thenComparingLong(TrackedSite::lastValue);

    /** True when every known value is zero: the site holds nothing and can free its slot. */
    boolean isEmpty() {
        for (int i = size - known; i < size; i++) {
            if (values[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
