package dev.leakwatch.detect.series;

import dev.leakwatch.detect.DetectionConfig;
import dev.leakwatch.detect.ProfileKind;
import dev.leakwatch.detect.site.CaptureSnapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Compact per-instance, per-profile-kind series: the capture times and instance totals of the last
 * {@link DetectionConfig#windowCaptures()} captures of the current process generation, and the values of a
 * bounded set of tracked sites at those captures. One {@link #append} per profile, whatever the number of
 * samples. Serialized by {@link InstanceSeriesCodec} ({@link #toBytes()}, {@link #fromBytes(byte[])}).
 *
 * <p>A new series (next {@link #generation()}) starts when the process restarted (heap cumulative
 * allocation counters went down, even across a silence), after a silence longer than {@link
 * DetectionConfig#maxGap()}, or — for goroutines — when the instance's heap series saw a restart since
 * ({@link RestartSignal}); only an instance without a live heap series has its goroutine series broken
 * by a collapse of the goroutine total ({@link SeriesBreaks} decides). The drop is never read as recovery.
 *
 * <p>Tracked sites: when there are more sites than {@link DetectionConfig#maxTrackedSites()} slots, a new
 * site takes the slot of the tracked site with the lowest recent floor (ties: lowest current value) if its
 * value is higher than that floor, so the sites that keep holding memory — growing or big — stay, and churn
 * makes room (see
 * {@link TrackedSite#retentionFloor()}); candidates come largest first ({@link AdmissionOrder}); sites whose
 * every known value is 0 leave.
 *
 * <p>Not thread-safe: one series belongs to one instance and is updated by one thread.
 */
public final class InstanceSeries {
    private final ProfileKind kind;
    private int generation;
    private long generationStartMs;
    private long samplingPeriod = 1;
    private long lastAllocObjects = CaptureSnapshot.ABSENT;
    private long lastAllocBytes = CaptureSnapshot.ABSENT;
    private long lastRestartMs = RestartSignal.NONE;
    private long[] times = new long[8];
    private long[] totals = new long[8];
    private int size;
    private final List<TrackedSite> sites = new ArrayList<>();
    private InstanceLabels labels = InstanceLabels.NONE;

    private InstanceSeries(ProfileKind kind) {
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /** An empty series of the given kind (generation 0, no captures). */
    public static InstanceSeries empty(ProfileKind kind) {
        return new InstanceSeries(kind);
    }

    /**
     * Adds one capture: starts a new series when the capture shows a restart, a gap or a collapse, drops
     * the oldest capture beyond the window, appends every tracked site's value and admits new sites.
     *
     * @throws IllegalArgumentException when the snapshot's kind differs from the series'
     */
    public SeriesUpdate append(CaptureSnapshot snap, DetectionConfig config) {
        return append(snap, config, null);
    }

    /**
     * As {@link #append(CaptureSnapshot, DetectionConfig)}, with what the instance's heap series knows of
     * restarts ({@code heapRestarts}, null when the instance has no heap series): a goroutine series
     * then starts anew when it says the process restarted, and not on a collapse of its total.
     */
    public SeriesUpdate append(CaptureSnapshot snap, DetectionConfig config, RestartSignal heapRestarts) {
        if (snap.kind() != kind) {
            throw new IllegalArgumentException("a " + kind + " series cannot take a " + snap.kind() + " capture");
        }
        if (size > 0 && snap.timeMs() <= lastTimeMs()) {
            return SeriesUpdate.IGNORED;
        }
        SeriesUpdate outcome = size == 0 ? SeriesUpdate.STARTED
                : SeriesBreaks.breakIn(this, snap, config, heapRestarts);
        if (outcome == SeriesUpdate.RESTARTED) {
            lastRestartMs = snap.timeMs();
        }
        if (outcome.startedNewSeries() || size == 0) {
            if (outcome.startedNewSeries()) {
                generation++;
            }
            size = 0;
            sites.clear();
            generationStartMs = snap.timeMs();
        }
        lastAllocObjects = snap.cumulativeAllocObjects();
        lastAllocBytes = snap.cumulativeAllocBytes();
        samplingPeriod = snap.samplingPeriod();

        boolean drop = size >= config.windowCaptures();
        while (size > config.windowCaptures()) {
            shrinkOldest();
        }
        if (drop) {
            System.arraycopy(times, 1, times, 0, size - 1);
            System.arraycopy(totals, 1, totals, 0, size - 1);
            size--;
        } else if (size == times.length) {
            times = Arrays.copyOf(times, size * 2);
            totals = Arrays.copyOf(totals, size * 2);
        }
        times[size] = snap.timeMs();
        totals[size] = snap.totalValue();
        size++;

        double tolerance = config.quietTolerance(kind == ProfileKind.HEAP, samplingPeriod);
        long quantum = kind == ProfileKind.HEAP ? Math.max(1, samplingPeriod) : 0;
        int count = snap.siteCount();
        boolean[] tracked = new boolean[count];
        for (TrackedSite t : sites) {
            int i = snap.indexOf(t.id());
            long value = 0;
            if (i >= 0) {
                value = snap.site(i).value();
                tracked[i] = true;
            }
            t.append(value, drop);
            t.observe(snap.timeMs(), value, tolerance, quantum);
            observeAllocations(t, snap, i, value);
        }
        sites.removeIf(TrackedSite::isEmpty);
        WeakestSites.trim(sites, config.maxTrackedSites()); // a series stored under a larger bound
        admit(snap, tracked, config.maxTrackedSites(), tolerance);
        return outcome;
    }

    /**
     * Admits untracked sites, largest first (ties in extraction order), into free slots or in place of
     * weaker sites that were tracked before this capture. A site admitted by this capture is never
     * evicted by a later candidate of the same capture: candidates come largest first, so a later one
     * never deserves the slot more (evicting let the smallest candidate of each capture take the slot a
     * large new site had just won: in a service with more untracked sites than slots, a new leak was
     * never tracked).
     */
    private void admit(CaptureSnapshot snap, boolean[] tracked, int maxSites, double tolerance) {
        WeakestSites weak = null;
        // the sites tracked before this capture: always the list's prefix (evictions remove from it,
        // admissions append after it)
        int earlier = sites.size();
        for (int c : AdmissionOrder.largestFirst(snap, tracked)) {
            long id = snap.site(c).id();
            long value = snap.site(c).value();
            boolean displaced = false;
            if (sites.size() >= maxSites) {
                if (earlier == 0) {
                    break; // every slot holds a site admitted by this capture, each at least as large
                }
                if (weak == null) {
                    weak = new WeakestSites(sites.subList(0, earlier));
                }
                int weakest = weak.weakest();
                if (weak.floor(weakest) >= value) {
                    break; // candidates are sorted: no later one beats the weakest either
                }
                sites.remove(weakest);
                weak.remove(weakest);
                earlier--;
                displaced = true;
            }
            TrackedSite t = new TrackedSite(id, times.length);
            t.padBefore(size - 1, !displaced);
            t.append(value, false);
            observeAllocations(t, snap, c, value);
            if (size == 1) {
                t.start(snap.timeMs(), value, false); // present from the start: its level is the baseline
            } else if (displaced) {
                t.start(generationStartMs, 0, true); // its past is unknown: assume it rose from the start
            } else if (value <= tolerance) {
                t.start(snap.timeMs(), 0, false); // absent before, still within the quiet tolerance
            } else {
                t.start(times[size - 2], 0, true); // absent at the previous capture, risen now
            }
            sites.add(t);
        }
    }

    /** Heap: the site's allocations at the latest capture ({@code at}: its position in the capture, or -1). */
    private void observeAllocations(TrackedSite t, CaptureSnapshot snap, int at, long value) {
        if (kind != ProfileKind.HEAP) {
            return; // no creation counter for goroutines: their lifetimes stay unknown
        }
        int back = SiteLifetimes.RATE_CAPTURES;
        long span = size > back ? times[size - 1] - times[size - 1 - back] : -1;
        long alloc = at < 0 ? CaptureSnapshot.ABSENT : snap.site(at).allocBytes();
        t.lifetimes().observe(alloc, value, span, Math.max(1, samplingPeriod));
    }

    /** Used when a smaller window is configured than the one the state was written with. */
    private void shrinkOldest() {
        System.arraycopy(times, 1, times, 0, size - 1);
        System.arraycopy(totals, 1, totals, 0, size - 1);
        size--;
        for (TrackedSite t : sites) {
            t.dropOldest();
        }
    }

    public ProfileKind kind() {
        return kind;
    }

    /** Number of series started so far (restarts, gaps, collapses); 0 for the first. */
    public int generation() {
        return generation;
    }

    /** Capture time that began the current series. */
    public long generationStartMs() {
        return generationStartMs;
    }

    /** Captures in the window. */
    public int size() {
        return size;
    }

    /** Capture time of the i-th capture in the window (0 = oldest). */
    public long timeMs(int i) {
        Objects.checkIndex(i, size);
        return times[i];
    }

    /** Instance total at the i-th capture: in-use heap bytes or goroutines. */
    public long total(int i) {
        Objects.checkIndex(i, size);
        return totals[i];
    }

    /** Time of the latest capture; {@code Long.MIN_VALUE} when empty. */
    public long lastTimeMs() {
        return size == 0 ? Long.MIN_VALUE : times[size - 1];
    }

    /** Sampling period of the latest capture (bytes per heap sample; 1 for goroutines). */
    public long samplingPeriod() {
        return samplingPeriod;
    }

    /** Heap cumulative allocated objects at the latest capture, or {@link CaptureSnapshot#ABSENT}. */
    public long lastAllocObjects() {
        return lastAllocObjects;
    }

    /** Heap cumulative allocated bytes at the latest capture, or {@link CaptureSnapshot#ABSENT}. */
    public long lastAllocBytes() {
        return lastAllocBytes;
    }

    /** Capture time of the latest capture that showed a restart, or {@link RestartSignal#NONE}. */
    public long lastRestartMs() {
        return lastRestartMs;
    }

    /** What this series knows of its process's restarts, for the instance's other series. */
    public RestartSignal restartSignal() {
        return new RestartSignal(lastRestartMs, size == 0 ? RestartSignal.NONE : lastTimeMs());
    }

    /** The labels of the latest capture that {@link #updateLabels} gave (not read by detection). */
    public InstanceLabels labels() {
        return labels;
    }

    /**
     * Keeps {@code latest} (an envelope's labels; null: none) as the series' labels, bounded by
     * {@link InstanceLabels#of}. Labels equal to the kept ones, the usual case, are left as they are
     * without building anything. Call it only for a capture the series took (not one it ignored as
     * duplicate or out of order), so that the labels stay the latest capture's.
     *
     * @return whether the labels changed
     */
    public boolean updateLabels(Map<String, String> latest) {
        if (labels.sameAs(latest)) {
            return false;
        }
        labels = InstanceLabels.of(latest);
        return true;
    }

    /** Tracked sites, read-only. */
    public List<TrackedSite> sites() {
        return Collections.unmodifiableList(sites);
    }

    /** The last {@code n} capture times, oldest first. */
    public long[] lastTimes(int n) {
        return Arrays.copyOfRange(times, size - n, size);
    }

    /** Serialized form, see {@link InstanceSeriesCodec}. */
    public byte[] toBytes() {
        return InstanceSeriesCodec.encode(this);
    }

    /** @throws dev.leakwatch.detect.StateFormatException when the bytes are not a valid series */
    public static InstanceSeries fromBytes(byte[] bytes) {
        return InstanceSeriesCodec.decode(bytes);
    }

    /** Rebuilds a series from decoded parts; used by the codec only. */
    static InstanceSeries restore(ProfileKind kind, int generation, long generationStartMs, long samplingPeriod,
            long lastAllocObjects, long lastAllocBytes, long lastRestartMs, long[] times, long[] totals,
            List<TrackedSite> sites, InstanceLabels labels) {
        InstanceSeries s = new InstanceSeries(kind);
        s.labels = labels;
        s.generation = generation;
        s.generationStartMs = generationStartMs;
        s.samplingPeriod = samplingPeriod;
        s.lastAllocObjects = lastAllocObjects;
        s.lastAllocBytes = lastAllocBytes;
        s.lastRestartMs = lastRestartMs;
        s.size = times.length;
        s.times = Arrays.copyOf(times, Math.max(8, times.length));
        s.totals = Arrays.copyOf(totals, Math.max(8, totals.length));
        s.sites.addAll(sites);
        return s;
    }
}
