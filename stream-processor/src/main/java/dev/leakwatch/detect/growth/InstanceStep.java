package dev.leakwatch.detect.growth;

import dev.leakwatch.detect.series.InstanceSeries;
import java.util.Objects;

/**
 * Result of processing one capture for one instance.
 *
 * @param series the updated series to store (same object as passed in, mutated, or a new one); never null
 * @param report the verdict to forward to the service-level lifecycle; never null
 */
public record InstanceStep(InstanceSeries series, InstanceReport report) {
    public InstanceStep {
        Objects.requireNonNull(series, "series");
        Objects.requireNonNull(report, "report");
    }
}
