package dev.leakwatch.detect;

import java.util.Objects;

/**
 * One observation behind a decision: the site's value on an instance at a capture.
 *
 * @param instance instance name, never null
 * @param timeMs   capture time, ms since the Unix epoch (UTC)
 * @param value    the site's value at that capture, in the suspect kind's value unit
 */
public record EvidencePoint(String instance, long timeMs, double value) {
    public EvidencePoint {
        Objects.requireNonNull(instance, "instance");
    }
}
