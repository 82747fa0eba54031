package dev.leakwatch.detect.lifecycle;

import static dev.leakwatch.detect.lifecycle.Reports.MIN;
import static dev.leakwatch.detect.lifecycle.Reports.growing;
import static dev.leakwatch.detect.lifecycle.Reports.quiet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.detect.DetectionConfig;
import dev.leakwatch.detect.EvidencePoint;
import dev.leakwatch.detect.ProfileKind;
import dev.leakwatch.detect.Site;
import dev.leakwatch.detect.Synthetic;
import dev.leakwatch.detect.growth.GrowthFinding;
import dev.leakwatch.detect.growth.InstanceReport;
import dev.leakwatch.detect.series.SeriesUpdate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each instance judged by its own time (gone after 15 min of silence, its growth stale 30 min after its
 * latest growing report by that time, the defaults): what may and may not move that time.
 */
class InstanceOwnTimeTrackerTest {
    private static final Site LEAK = Synthetic.heapSite("example.com/app.leak");
    private static final Site OTHER = Synthetic.heapSite("example.com/app.other");

    private final SuspectTracker tracker = new SuspectTracker(DetectionConfig.defaults());
    private ServiceSuspects state;
    private final List<SuspectEvent> events = new ArrayList<>();

    @Test
    void shouldResolveWhenTheGrowingInstanceSendsOnlyItsLatestCaptureAgainWhileItsSiblingGoesOn() {
        // pod-1 grows once, then its agent re-sends that same capture every minute (a retrying push
        // client, an agent stuck on one profile): duplicates, ignored, which say nothing of its time
        feed(growing("pod-1", 0, LEAK, 1e8, 1_000_000, 5, 0.8));
        for (int m = 1; m <= 40; m++) {
            feed(quiet("pod-2", m, ProfileKind.HEAP));
            feed(new InstanceReport(Reports.SERVICE, "pod-1", ProfileKind.HEAP, 0, null, 1_000_000,
                    SeriesUpdate.IGNORED, List.of()));
        }
        assertEquals(List.of("OPEN@0", "RESOLVED@15"), statusesAtMinutes(),
                "pod-1's own time stood at its latest capture while its sibling's ran 40 min on");
    }

    @Test
    void shouldFindAnInstanceGoneOnceTheLimitLetsItsSilenceCountAfterASuspectWasDroppedToFitTheState() {
        // pod-1 grows at two sites and stops; pod-2 goes on. For 20 min the processor's clock holds
        // pod-1's silence to 10 min (its partition read late), then lets it count.
        SilenceLimit heldBack = name -> name.equals("pod-1") ? 10 * MIN : Long.MAX_VALUE;
        feed(twoSitesGrowing("pod-1", 0));
        for (int m = 1; m <= 20; m++) {
            TrackerStep step = tracker.onReport(state, quiet("pod-2", m, ProfileKind.HEAP), m * MIN, heldBack);
            // at minute 20 the state passes its bound: one of the two suspects is dropped (and ended)
            int maxBytes = m == 20 ? step.state().toBytes().length - 1 : ServiceSuspects.MAX_STORED_BYTES;
            events.addAll(tracker.store(step, maxBytes).events());
            state = step.state();
        }
        assertEquals(List.of("OPEN@0", "OPEN@0", "RESOLVED@20"), statusesAtMinutes(), "one dropped, one kept");

        TrackerStep step = tracker.onTime(state, 21 * MIN, SilenceLimit.NONE);
        events.addAll(step.events());
        assertEquals(List.of("OPEN@0", "OPEN@0", "RESOLVED@20", "RESOLVED@21"), statusesAtMinutes(),
                "pod-1, silent for 21 min once its silence counts, is gone: the suspect kept resolves with it");
        assertEquals(List.of("pod-2"), List.copyOf(step.state().instances().keySet()));
    }

    @Test
    void shouldNotWalkTheInstancesAtEachReportWhileTheClockLetsNoneBeGone() {
        // after an outage: half the service's instances on partitions read an hour ahead of the others,
        // while the processor's clock ran a second (the catch-up), so none of the others is gone
        int n = 4_000;
        for (int i = 0; i < n; i++) {
            feed(quiet("pod-" + i, 0, ProfileKind.HEAP));
        }
        long[] consulted = {0};
        SilenceLimit caughtUp = new SilenceLimit() {
            @Override
            public long maxSilenceMs(String instance) {
                consulted[0]++;
                return 1_000;
            }

            @Override
            public long longestMs() {
                return 1_000;
            }
        };
        for (int i = 0; i < n / 2; i++) {
            InstanceReport r = quiet("pod-" + i, 60 + i / (double) n, ProfileKind.HEAP);
            state = tracker.onReport(state, r, r.captureTimeMs(), caughtUp).state();
        }
        assertEquals(n, state.instances().size(), "none gone");
        assertTrue(consulted[0] < n, "the " + n + " instances walked " + consulted[0] / n + " times in "
                + n / 2 + " reports");
    }

    /** A heap report from {@code instance} listing both {@link #LEAK} and {@link #OTHER} as growing. */
    private static InstanceReport twoSitesGrowing(String instance, int minute) {
        long t = minute * MIN;
        List<GrowthFinding> findings = List.of(LEAK, OTHER).stream().map(site -> new GrowthFinding(site, 1e8,
                1_000_000, GrowthFinding.MANN_KENDALL, 5, 0.8, t - 5 * MIN,
                List.of(new EvidencePoint(instance, t, 1_000_000)))).toList();
        return new InstanceReport(Reports.SERVICE, instance, ProfileKind.HEAP, t, null, 500_000_000,
                SeriesUpdate.APPENDED, findings);
    }

    private void feed(InstanceReport r) {
        state = Reports.feed(tracker, state, r, events);
    }

    private List<String> statusesAtMinutes() {
        return events.stream().map(e -> e.status() + "@" + e.detectedAtMs() / MIN).toList();
    }
}
