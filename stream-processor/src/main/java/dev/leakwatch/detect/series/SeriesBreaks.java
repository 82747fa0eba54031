package dev.leakwatch.detect.series;

import dev.leakwatch.detect.DetectionConfig;
import dev.leakwatch.detect.ProfileKind;
import dev.leakwatch.detect.site.CaptureSnapshot;

/**
 * Whether a capture continues an {@link InstanceSeries} or starts a new one ({@link SeriesUpdate}),
 * checked in this order: a restart (heap cumulative allocation counters went down, even across a
 * silence, so that what the new process allocated counts from zero), a gap longer than
 * {@link DetectionConfig#maxGap()}, then for goroutines a restart the instance's live heap series
 * saw ({@link RestartSignal}) or, only without one, a collapse of the goroutine total. A new series
 * drops all history, so a restart is never read as the leak recovering.
 *
 * <p>Reads the series' latest capture only and allocates nothing: it runs once per capture.
 * Stateless.
 */
final class SeriesBreaks {
    private SeriesBreaks() {
    }

    /**
     * What {@code snap}, newer than the latest capture of the non-empty {@code series}, does to it.
     *
     * @param heapRestarts what the instance's heap series knows of restarts; null when it has none
     * @return {@link SeriesUpdate#APPENDED} or the reason a new series starts
     */
    static SeriesUpdate breakIn(InstanceSeries series, CaptureSnapshot snap, DetectionConfig config,
            RestartSignal heapRestarts) {
        // a restart first, even across a silence: what the new process allocated must count from zero
        if (wentDown(series.lastAllocObjects(), snap.cumulativeAllocObjects())
                || wentDown(series.lastAllocBytes(), snap.cumulativeAllocBytes())) {
            return SeriesUpdate.RESTARTED;
        }
        if (snap.timeMs() - series.lastTimeMs() > config.maxGap().toMillis()) {
            return SeriesUpdate.GAP;
        }
        boolean heap = series.kind() == ProfileKind.HEAP;
        if (!heap && heapRestarts != null && heapRestarts.liveAt(snap.timeMs(), config.maxGap().toMillis())) {
            // after this series began: a goroutine capture of the new process that came before the
            // heap capture showing the restart was appended, so the next one breaks the series
            return heapRestarts.restartedAfter(series.generationStartMs())
                    ? SeriesUpdate.RESTARTED : SeriesUpdate.APPENDED;
        }
        if (!heap) {
            long previous = series.total(series.size() - 1);
            long now = snap.totalValue();
            if (now < previous * config.goroutineResetDropFraction()
                    && previous - now >= config.goroutineMinRise()) {
                return SeriesUpdate.COLLAPSED;
            }
        }
        return SeriesUpdate.APPENDED;
    }

    private static boolean wentDown(long before, long now) {
        return before != CaptureSnapshot.ABSENT && now != CaptureSnapshot.ABSENT && now < before;
    }
}
