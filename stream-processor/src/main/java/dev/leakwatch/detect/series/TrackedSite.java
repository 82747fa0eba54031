package dev.leakwatch.detect.series;

import java.util.Arrays;

/**
 * One site tracked by an {@link InstanceSeries}: its id and its values at the series' captures.
 *
 * <p>A site is known from the capture at which it started being tracked: for the series' last
 * {@link #known()} captures. Values before that are unknown, <em>not</em> zero — a big stable site that
 * re-enters tracking must not look like a jump from nothing.
 *
 * <p>Mutated only by its series; read-only for everyone else.
 */
public final class TrackedSite {
    private final long id;
    private long[] values;
    private int size;
    private int known;

    TrackedSite(long id, int capacity) {
        this.id = id;
        this.values = new long[capacity];
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
        known++;
    }

    void dropOldest() {
        System.arraycopy(values, 1, values, 0, size - 1);
        size--;
        known = Math.min(known, size);
    }

    /** Aligns a newly tracked site with a series that already has {@code seriesSize - 1} earlier captures. */
    void padUnknown(int count) {
        if (count > values.length) {
            values = Arrays.copyOf(values, count * 2);
        }
        size = count;
        known = 0;
    }

    /** Restores state read by the codec. */
    void restore(int seriesSize, long[] knownValues) {
        values = new long[Math.max(seriesSize, 1)];
        size = seriesSize;
        known = knownValues.length;
        System.arraycopy(knownValues, 0, values, seriesSize - known, known);
    }

    /** Retention score: the site's typical level plus its rise; low scores are evicted first. */
    double retentionScore() {
        if (known == 0) {
            return 0;
        }
        long[] k = knownValues();
        long[] sorted = k.clone();
        Arrays.sort(sorted);
        double median = sorted[sorted.length / 2];
        return median + Math.max(0, k[k.length - 1] - k[0]);
    }

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
