package dev.leakwatch.detect.lifecycle;

import java.util.List;
import java.util.Objects;

/**
 * Result of one lifecycle step for a service.
 *
 * @param state   the updated state to store; {@link ServiceSuspects#isEmpty()} means it may be deleted
 * @param events  events to publish, in order; never null
 * @param refused growing sites of the report that could not become suspects, the service's suspects
 *                being at {@link SuspectTracker#MAX_SUSPECTS} or the new one not fitting the state's
 *                bound: each waits, and is counted again at every report that lists it
 */
public record TrackerStep(ServiceSuspects state, List<SuspectEvent> events, int refused) {
    public TrackerStep {
        Objects.requireNonNull(state, "state");
        events = List.copyOf(events);
    }

    /** A step that refused no site. */
    public TrackerStep(ServiceSuspects state, List<SuspectEvent> events) {
        this(state, events, 0);
    }
}
