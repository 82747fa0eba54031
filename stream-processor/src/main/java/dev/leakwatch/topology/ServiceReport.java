package dev.leakwatch.topology;

import dev.leakwatch.detect.growth.InstanceReport;
import dev.leakwatch.topology.window.WindowContribution;
import java.util.Objects;

/**
 * What the per-instance stage sends to its service's partition for one profile: detection's
 * verdict and, for heap and goroutine captures that advanced the series, the window contribution.
 * Carried by the {@code instance-reports-by-service} repartition topic ({@link ServiceReportSerde}).
 *
 * @param report detection's per-instance report; never null
 * @param window the capture's window contribution; null for allocs/goroutineleak profiles and for
 *     captures detection ignored (duplicates, out of order)
 */
public record ServiceReport(InstanceReport report, WindowContribution window) {

  public ServiceReport {
    Objects.requireNonNull(report, "report");
  }
}
