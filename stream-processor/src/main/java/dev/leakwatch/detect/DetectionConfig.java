package dev.leakwatch.detect;

import java.time.Duration;
import java.util.Objects;

/**
 * Every tunable of leak detection, with documented defaults ({@link #defaults()}); docs/DETECTION.md
 * explains what each one guards against. Immutable; build variants with {@link #toBuilder()}.
 *
 * <p>Time values are compared with capture times (event time), never with the wall clock.
 *
 * @param windowCaptures          captures kept per instance series (ring buffer); default 48
 * @param maxTrackedSites         sites tracked per instance series; default 64 (keeps state well under 20 KB)
 * @param minCaptures             captures a site's rise must last (and known captures before it can be
 *                                judged); default 8 — with 8 captures only a nearly monotonic rise reaches
 *                                the default Mann-Kendall threshold
 * @param minSpan                 time the rise must last (and the judged captures must span); default 20 s
 * @param maxGap                  a silence longer than this starts a new series; default 10 min
 * @param minTrendZ               Mann-Kendall Z a site's series must reach (one-sided); default 3.0
 * @param heapMinBytesPerHour     absolute floor on a heap site's Theil-Sen slope; default 1 MiB/h
 * @param heapMinRelativePerHour  relative floor: slope per hour as a fraction of the instance's total
 *                                in-use heap; default 0.01 (1 %/h)
 * @param heapMinRiseSamplingPeriods the rise from the oldest to the newest third must exceed this many
 *                                heap sampling periods (MemProfileRate), so single sampled objects never
 *                                look like growth; default 2
 * @param goroutineMinPerHour     absolute floor on a goroutine stack's slope; default 10 goroutines/h
 * @param goroutineMinRelativePerHour relative floor: slope per hour as a fraction of the instance's total
 *                                goroutines; default 0.01
 * @param goroutineMinRise        the rise from the oldest to the newest third must be at least this many
 *                                goroutines; default 10
 * @param minRecentRiseRatio      sustained-growth guard: the rise between the middle and the newest third
 *                                must be at least this fraction of the rise between the oldest and the
 *                                middle third; default 0.25
 * @param goroutineResetDropFraction a goroutine total falling below this fraction of the previous capture's
 *                                total starts a new series (restart or mass release); default 0.5
 * @param warmup                  growth that began with the series (process start, restart) is presumed to be
 *                                warm-up — caches and pools filling — until the series is this old; default
 *                                2 min
 * @param warmupQuietSignificance growth counts as having begun <em>after</em> a quiet stretch, not with the
 *                                series, when growth at the observed rate since the series start would have
 *                                left the site within its quiet tolerance (half the minimum rise) for that
 *                                long with at most this probability (Poisson arrivals of sampled objects or
 *                                goroutines); default 0.01
 * @param updateInterval          UPDATED events of one suspect are at least this far apart; default 10 min
 * @param resolveAfter            a suspect no instance reports as growing for this long is RESOLVED;
 *                                default 30 min
 * @param instanceGoneAfter       an instance without captures for this long is gone; default 15 min
 * @param evidencePerInstance     evidence points per instance in an event; default 12
 * @param maxReportedFrames       frames kept in a reported stack (leaf first); default 64
 */
public record DetectionConfig(
        int windowCaptures,
        int maxTrackedSites,
        int minCaptures,
        Duration minSpan,
        Duration maxGap,
        double minTrendZ,
        double heapMinBytesPerHour,
        double heapMinRelativePerHour,
        double heapMinRiseSamplingPeriods,
        double goroutineMinPerHour,
        double goroutineMinRelativePerHour,
        long goroutineMinRise,
        double minRecentRiseRatio,
        double goroutineResetDropFraction,
        Duration warmup,
        double warmupQuietSignificance,
        Duration updateInterval,
        Duration resolveAfter,
        Duration instanceGoneAfter,
        int evidencePerInstance,
        int maxReportedFrames) {

    /** Hard cap on {@link #windowCaptures()}: the series codec and the O(n²) statistics assume it. */
    public static final int MAX_WINDOW = 256;
    /** Hard cap on {@link #maxTrackedSites()}. */
    public static final int MAX_TRACKED_SITES = 1024;

    public DetectionConfig {
        Objects.requireNonNull(minSpan, "minSpan");
        Objects.requireNonNull(maxGap, "maxGap");
        Objects.requireNonNull(warmup, "warmup");
        Objects.requireNonNull(updateInterval, "updateInterval");
        Objects.requireNonNull(resolveAfter, "resolveAfter");
        Objects.requireNonNull(instanceGoneAfter, "instanceGoneAfter");
        require(windowCaptures >= 6 && windowCaptures <= MAX_WINDOW, "windowCaptures must be in [6, " + MAX_WINDOW + "]");
        require(maxTrackedSites >= 1 && maxTrackedSites <= MAX_TRACKED_SITES,
                "maxTrackedSites must be in [1, " + MAX_TRACKED_SITES + "]");
        require(minCaptures >= 6 && minCaptures <= windowCaptures, "minCaptures must be in [6, windowCaptures]");
        require(!minSpan.isNegative(), "minSpan must not be negative");
        require(positive(maxGap), "maxGap must be positive");
        require(minTrendZ > 0, "minTrendZ must be positive");
        require(heapMinBytesPerHour >= 0, "heapMinBytesPerHour must not be negative");
        require(heapMinRelativePerHour >= 0, "heapMinRelativePerHour must not be negative");
        require(heapMinRiseSamplingPeriods >= 0, "heapMinRiseSamplingPeriods must not be negative");
        require(goroutineMinPerHour >= 0, "goroutineMinPerHour must not be negative");
        require(goroutineMinRelativePerHour >= 0, "goroutineMinRelativePerHour must not be negative");
        require(goroutineMinRise >= 0, "goroutineMinRise must not be negative");
        require(minRecentRiseRatio >= 0, "minRecentRiseRatio must not be negative");
        require(goroutineResetDropFraction >= 0 && goroutineResetDropFraction < 1,
                "goroutineResetDropFraction must be in [0, 1)");
        require(!warmup.isNegative(), "warmup must not be negative");
        require(warmupQuietSignificance > 0 && warmupQuietSignificance < 1,
                "warmupQuietSignificance must be in (0, 1)");
        require(!updateInterval.isNegative(), "updateInterval must not be negative");
        require(positive(resolveAfter), "resolveAfter must be positive");
        require(positive(instanceGoneAfter), "instanceGoneAfter must be positive");
        require(evidencePerInstance >= 1 && evidencePerInstance <= windowCaptures,
                "evidencePerInstance must be in [1, windowCaptures]");
        require(maxReportedFrames >= 1, "maxReportedFrames must be positive");
    }

    private static boolean positive(Duration d) {
        return !d.isNegative() && !d.isZero();
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * Changes smaller than this do not end a site's quiet stretch (half the minimum rise): one sampled
     * object's weight for heap sites at the default settings, a few transient goroutines for goroutine sites.
     *
     * @param heap           heap (true) or goroutine (false) site
     * @param samplingPeriod heap MemProfileRate in bytes (ignored for goroutines)
     */
    public double quietTolerance(boolean heap, long samplingPeriod) {
        return heap ? heapMinRiseSamplingPeriods * Math.max(1, samplingPeriod) / 2.0 : goroutineMinRise / 2.0;
    }

    /** The documented defaults. */
    public static DetectionConfig defaults() {
        return new DetectionConfig(48, 64, 8, Duration.ofSeconds(20), Duration.ofMinutes(10), 3.0,
                1024.0 * 1024.0, 0.01, 2.0,
                10.0, 0.01, 10,
                0.25, 0.5, Duration.ofMinutes(2), 0.01,
                Duration.ofMinutes(10), Duration.ofMinutes(30), Duration.ofMinutes(15),
                12, 64);
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Mutable builder for variants of a configuration; {@link #build()} validates. */
    public static final class Builder {
        private int windowCaptures;
        private int maxTrackedSites;
        private int minCaptures;
        private Duration minSpan;
        private Duration maxGap;
        private double minTrendZ;
        private double heapMinBytesPerHour;
        private double heapMinRelativePerHour;
        private double heapMinRiseSamplingPeriods;
        private double goroutineMinPerHour;
        private double goroutineMinRelativePerHour;
        private long goroutineMinRise;
        private double minRecentRiseRatio;
        private double goroutineResetDropFraction;
        private Duration warmup;
        private double warmupQuietSignificance;
        private Duration updateInterval;
        private Duration resolveAfter;
        private Duration instanceGoneAfter;
        private int evidencePerInstance;
        private int maxReportedFrames;

        private Builder(DetectionConfig c) {
            windowCaptures = c.windowCaptures;
            maxTrackedSites = c.maxTrackedSites;
            minCaptures = c.minCaptures;
            minSpan = c.minSpan;
            maxGap = c.maxGap;
            minTrendZ = c.minTrendZ;
            heapMinBytesPerHour = c.heapMinBytesPerHour;
            heapMinRelativePerHour = c.heapMinRelativePerHour;
            heapMinRiseSamplingPeriods = c.heapMinRiseSamplingPeriods;
            goroutineMinPerHour = c.goroutineMinPerHour;
            goroutineMinRelativePerHour = c.goroutineMinRelativePerHour;
            goroutineMinRise = c.goroutineMinRise;
            minRecentRiseRatio = c.minRecentRiseRatio;
            goroutineResetDropFraction = c.goroutineResetDropFraction;
            warmup = c.warmup;
            warmupQuietSignificance = c.warmupQuietSignificance;
            updateInterval = c.updateInterval;
            resolveAfter = c.resolveAfter;
            instanceGoneAfter = c.instanceGoneAfter;
            evidencePerInstance = c.evidencePerInstance;
            maxReportedFrames = c.maxReportedFrames;
        }

        public Builder windowCaptures(int v) { windowCaptures = v; return this; }
        public Builder maxTrackedSites(int v) { maxTrackedSites = v; return this; }
        public Builder minCaptures(int v) { minCaptures = v; return this; }
        public Builder minSpan(Duration v) { minSpan = v; return this; }
        public Builder maxGap(Duration v) { maxGap = v; return this; }
        public Builder minTrendZ(double v) { minTrendZ = v; return this; }
        public Builder heapMinBytesPerHour(double v) { heapMinBytesPerHour = v; return this; }
        public Builder heapMinRelativePerHour(double v) { heapMinRelativePerHour = v; return this; }
        public Builder heapMinRiseSamplingPeriods(double v) { heapMinRiseSamplingPeriods = v; return this; }
        public Builder goroutineMinPerHour(double v) { goroutineMinPerHour = v; return this; }
        public Builder goroutineMinRelativePerHour(double v) { goroutineMinRelativePerHour = v; return this; }
        public Builder goroutineMinRise(long v) { goroutineMinRise = v; return this; }
        public Builder minRecentRiseRatio(double v) { minRecentRiseRatio = v; return this; }
        public Builder goroutineResetDropFraction(double v) { goroutineResetDropFraction = v; return this; }
        public Builder warmup(Duration v) { warmup = v; return this; }
        public Builder warmupQuietSignificance(double v) { warmupQuietSignificance = v; return this; }
        public Builder updateInterval(Duration v) { updateInterval = v; return this; }
        public Builder resolveAfter(Duration v) { resolveAfter = v; return this; }
        public Builder instanceGoneAfter(Duration v) { instanceGoneAfter = v; return this; }
        public Builder evidencePerInstance(int v) { evidencePerInstance = v; return this; }
        public Builder maxReportedFrames(int v) { maxReportedFrames = v; return this; }

        /** @throws IllegalArgumentException naming the first invalid value */
        public DetectionConfig build() {
            return new DetectionConfig(windowCaptures, maxTrackedSites, minCaptures, minSpan, maxGap, minTrendZ,
                    heapMinBytesPerHour, heapMinRelativePerHour, heapMinRiseSamplingPeriods,
                    goroutineMinPerHour, goroutineMinRelativePerHour, goroutineMinRise,
                    minRecentRiseRatio, goroutineResetDropFraction, warmup, warmupQuietSignificance,
                    updateInterval, resolveAfter, instanceGoneAfter, evidencePerInstance, maxReportedFrames);
        }
    }
}
