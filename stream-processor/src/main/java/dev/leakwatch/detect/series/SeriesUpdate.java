package dev.leakwatch.detect.series;

/** What {@link InstanceSeries#append} did with a capture. */
public enum SeriesUpdate {
    /** First capture of a new, empty series. */
    STARTED,
    /** Appended to the current series. */
    APPENDED,
    /** Heap cumulative allocation counters went down: the process restarted; a new series began. */
    RESTARTED,
    /** No capture for longer than {@code maxGap}: a new series began rather than bridging the hole. */
    GAP,
    /** The goroutine total collapsed (restart or mass release); a new series began. */
    COLLAPSED,
    /** The capture is not newer than the last one (duplicate or out of order); the series is unchanged. */
    IGNORED;

    /** True when the capture began a new series (history dropped). */
    public boolean startedNewSeries() {
        return this == RESTARTED || this == GAP || this == COLLAPSED;
    }
}
