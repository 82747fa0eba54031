package dev.leakwatch.detect.growth;

import dev.leakwatch.detect.ProfileKind;
import dev.leakwatch.detect.series.SeriesUpdate;
import java.util.List;
import java.util.Objects;

/**
 * The per-instance verdict of one capture, sent to the service-level lifecycle (the topology repartitions
 * it by service; {@link InstanceReportCodec} serializes it). {@link #findings()} lists <em>every</em> site
 * growing on this instance for this profile kind right now: a site missing from it is not growing here
 * (any more).
 *
 * @param service          service name
 * @param instance         instance name
 * @param kind             profile kind of the capture
 * @param captureTimeMs    capture time, ms since the Unix epoch
 * @param memoryLimitBytes the instance's memory limit, null when unknown
 * @param totalValue       instance total at the capture: in-use heap bytes or goroutines
 * @param update           what the series did with the capture (e.g. a restart began a new series)
 * @param findings         growing sites, never null
 */
public record InstanceReport(String service, String instance, ProfileKind kind, long captureTimeMs,
        Long memoryLimitBytes, long totalValue, SeriesUpdate update, List<GrowthFinding> findings) {
    public InstanceReport {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(update, "update");
        findings = List.copyOf(findings);
    }

    /** Serialized form, see {@link InstanceReportCodec}. */
    public byte[] toBytes() {
        return InstanceReportCodec.encode(this);
    }

    /** @throws dev.leakwatch.detect.StateFormatException when the bytes are not a valid report */
    public static InstanceReport fromBytes(byte[] bytes) {
        return InstanceReportCodec.decode(bytes);
    }
}
