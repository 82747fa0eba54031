package dev.leakwatch.detect.lifecycle;

import java.util.List;

/**
 * A lifecycle step as stored and published ({@link SuspectTracker#store}).
 *
 * @param bytes       the state's stored form
 * @param events      the events to publish, in order; never null
 * @param ended       open suspects dropped to keep the state within its bound, whose episode a {@code
 *                    RESOLVED} in {@code events} ends (the last {@code ended} events)
 * @param unannounced suspects dropped that no consumer had heard of (candidates, or opened in this step)
 */
public record StoredStep(byte[] bytes, List<SuspectEvent> events, int ended, int unannounced) {
    public StoredStep {
        events = List.copyOf(events);
    }
}
