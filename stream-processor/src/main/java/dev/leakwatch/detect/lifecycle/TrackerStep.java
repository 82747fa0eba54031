package dev.leakwatch.detect.lifecycle;

import java.util.List;
import java.util.Objects;

/**
 * Result of one lifecycle step for a service.
 *
 * @param state  the updated state to store; {@link ServiceSuspects#isEmpty()} means it may be deleted
 * @param events events to publish, in order; never null
 */
public record TrackerStep(ServiceSuspects state, List<SuspectEvent> events) {
    public TrackerStep {
        Objects.requireNonNull(state, "state");
        events = List.copyOf(events);
    }
}
