package dev.leakwatch.detect.growth;

import dev.leakwatch.detect.ProfileKind;
import java.util.Objects;

/**
 * What an agent knows about a capture besides the bytes. Nothing else (no labels, pids or ground truth)
 * reaches detection.
 *
 * @param service          logical service name; never null
 * @param instance         instance name within the service; never null
 * @param kind             profile kind; never null
 * @param captureTimeMs    capture time, ms since the Unix epoch (UTC)
 * @param memoryLimitBytes the instance's memory limit in bytes, or null when unknown
 */
public record CaptureContext(String service, String instance, ProfileKind kind, long captureTimeMs,
        Long memoryLimitBytes) {
    public CaptureContext {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(kind, "kind");
    }
}
