package dev.leakwatch.detect.lifecycle;

import static dev.leakwatch.detect.lifecycle.Reports.growing;
import static dev.leakwatch.detect.lifecycle.Reports.quiet;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leakwatch.detect.DetectionConfig;
import dev.leakwatch.detect.ProfileKind;
import dev.leakwatch.detect.Site;
import dev.leakwatch.detect.SuspectStatus;
import dev.leakwatch.detect.growth.InstanceReport;
import dev.leakwatch.detect.series.SeriesUpdate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Related suspects ({@link SuspectRelations}) in the lifecycle: which heap and goroutine suspects name each
 * other in their events. Default intervals: UPDATED ≥ 10 min apart, RESOLVED after 30 min quiet.
 */
class RelatedSuspectEventsTest {
    private final SuspectTracker tracker = new SuspectTracker(DetectionConfig.defaults());
    private ServiceSuspects state;
    private final List<SuspectEvent> events = new ArrayList<>();

    private void feed(InstanceReport r) {
        state = Reports.feed(tracker, state, r, events);
    }

    private static final String RELATED_PUSH = "leakwatch.dev/goleaker/internal/push.(*Dispatcher).";
    /** Goroutines stuck sending in resolveDevice, and the channels handlePush made for them: one bug. */
    private static final Site STUCK = Reports.goroutineSite(RELATED_PUSH + "resolveDevice", "runtime.goexit");
    private static final Site CHANNELS =
        Reports.heapSite("runtime.makechan", RELATED_PUSH + "handlePush", "runtime.goexit");

    private void stuckGrows(String instance, double minute) {
        feed(growing(instance, minute, STUCK, 600, 100 + (long) (10 * minute), 5, 0.9));
    }

    private void channelsGrow(String instance, double minute) {
        feed(growing(instance, minute, CHANNELS, 4e6, 1_000_000 + (long) (50_000 * minute), 4, 0.8));
    }

    private SuspectEvent last(Site site, SuspectStatus status) {
        String id = SuspectIds.of(Reports.SERVICE, site);
        return events.stream().filter(e -> e.suspectId().equals(id) && e.status() == status)
            .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no " + status + " event of " + id));
    }

    @Test
    void shouldListTheGoroutineSuspectOnTheHeapSuspectItHoldsAndBack() {
        for (int m = 0; m <= 25; m++) {
            stuckGrows("replica-0", m);
            if (m >= 5) { // the heap they hold grows past the floors later
                channelsGrow("replica-0", m + 0.5);
            }
        }
        assertEquals(List.of(), last(STUCK, SuspectStatus.OPEN).relatedSuspects(), "nothing else was open yet");
        assertEquals(List.of(SuspectIds.of(Reports.SERVICE, STUCK)), last(CHANNELS, SuspectStatus.OPEN).relatedSuspects());
        assertEquals(List.of(SuspectIds.of(Reports.SERVICE, CHANNELS)), last(STUCK, SuspectStatus.UPDATED).relatedSuspects(),
            "the goroutine suspect's next event names the heap it holds");
    }

    @Test
    void shouldNotRelateSuspectsThatGrowOnDifferentInstances() {
        for (int m = 0; m <= 12; m++) {
            stuckGrows("replica-0", m);
            channelsGrow("replica-1", m + 0.5);
            feed(quiet("replica-1", m + 0.5, ProfileKind.GOROUTINE));
            feed(quiet("replica-0", m + 0.5, ProfileKind.HEAP));
        }
        assertEquals(List.of(), last(CHANNELS, SuspectStatus.OPEN).relatedSuspects());
        assertEquals(List.of(), last(STUCK, SuspectStatus.UPDATED).relatedSuspects());
    }

    @Test
    void shouldDropTheRelationOnceTheOtherSuspectStopsGrowingThere() {
        for (int m = 0; m <= 3; m++) {
            stuckGrows("replica-0", m);
        }
        // the goroutines' growth stops (a restart of their series, say): the heap that opens later is alone
        feed(new InstanceReport(Reports.SERVICE, "replica-0", ProfileKind.GOROUTINE, 4 * Reports.MIN, null, 1,
            SeriesUpdate.RESTARTED, List.of()));
        for (int m = 5; m <= 8; m++) {
            channelsGrow("replica-0", m);
        }
        assertEquals(List.of(), last(CHANNELS, SuspectStatus.OPEN).relatedSuspects());
    }

    @Test
    void shouldNameNothingWhenTheHeapSuspectResolvesWhileTheGoroutinesGoOnGrowingThere() {
        for (int m = 0; m <= 45; m++) {
            stuckGrows("replica-0", m);
            if (m <= 8) {
                channelsGrow("replica-0", m + 0.5);
            } else {
                feed(quiet("replica-0", m + 0.5, ProfileKind.HEAP));
            }
        }
        assertEquals(List.of(SuspectIds.of(Reports.SERVICE, STUCK)), last(CHANNELS, SuspectStatus.OPEN).relatedSuspects());
        assertEquals(List.of(), last(CHANNELS, SuspectStatus.RESOLVED).relatedSuspects(),
            "a heap that stopped growing while the goroutines did not is not what they hold");
    }
}
