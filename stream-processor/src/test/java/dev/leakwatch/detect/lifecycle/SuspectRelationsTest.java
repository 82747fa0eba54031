package dev.leakwatch.detect.lifecycle;

import static dev.leakwatch.detect.lifecycle.Reports.growing;
import static dev.leakwatch.detect.lifecycle.Reports.quiet;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leakwatch.detect.DetectionConfig;
import dev.leakwatch.detect.ProfileKind;
import dev.leakwatch.detect.Site;
import dev.leakwatch.detect.SiteFrame;
import dev.leakwatch.detect.SuspectKind;
import dev.leakwatch.detect.SuspectStatus;
import dev.leakwatch.detect.WaitReason;
import dev.leakwatch.detect.growth.InstanceReport;
import dev.leakwatch.detect.series.SeriesUpdate;
import dev.leakwatch.detect.site.FrameRules;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Related suspects: which heap and goroutine suspects of a service are probably one bug. Stacks are
 * leaf first; the blamed frame is the first one that is neither runtime machinery nor standard library.
 */
class SuspectRelationsTest {
    private static final String PUSH = "leakwatch.dev/goleaker/internal/push.(*Dispatcher).";

    /** A heap site allocated on {@code stack} (leaf first), blaming the first frame of the program's own code. */
    private static Site heap(String... stack) {
        return site(SuspectKind.HEAP, null, stack);
    }

    /** A goroutine site parked on a channel send, {@code stack} below {@code runtime.gopark}. */
    private static Site goroutines(String... stack) {
        List<String> frames = new ArrayList<>(List.of("runtime.gopark", "runtime.chansend", "runtime.chansend1"));
        frames.addAll(Arrays.asList(stack));
        return site(SuspectKind.GOROUTINE, WaitReason.CHAN_SEND, frames.toArray(String[]::new));
    }

    private static Site site(SuspectKind kind, WaitReason wait, String... stack) {
        List<SiteFrame> frames = Arrays.stream(stack).map(f -> new SiteFrame(f, "x.go", 1)).toList();
        int blamed = FrameRules.blamedIndex(Arrays.asList(stack));
        return new Site(kind, frames, blamed, wait);
    }

    private record Case(String name, Site heap, Site goroutines, boolean related) {}

    @Test
    void shouldRelateSitesWhoseCodeMeetsAndNoOthers() {
        Site stuck = goroutines(PUSH + "resolveDevice", "runtime.goexit");
        List<Case> cases = List.of(
            new Case("the handler that made the channel and the method it started: one receiver type",
                heap("runtime.makechan", PUSH + "handlePush", "runtime.goexit"), stuck, true),
            new Case("goroutine structures: allocated on the system stack, their stack ends in the runtime",
                heap("runtime.malg", "runtime.newproc1", "runtime.newproc.func1", "runtime.systemstack"), stuck, true),
            new Case("goroutine structures whatever the goroutines run",
                heap("runtime.malg", "runtime.newproc1", "runtime.newproc.func1", "runtime.systemstack"),
                goroutines("example.com/jobs.report", "runtime.goexit"), true),
            new Case("allocated in the function the goroutines are stuck in",
                heap("runtime.makeslice", "example.com/jobs.report", "example.com/jobs.run.func1"),
                goroutines("example.com/jobs.report", "example.com/jobs.run.func1"), true),
            new Case("allocated below the function the goroutines are stuck in (a closure of it)",
                heap("runtime.makeslice", "example.com/codec.encode", "example.com/jobs.report.func2"),
                goroutines("example.com/jobs.report", "runtime.goexit"), true),
            new Case("the goroutines are stuck below the function that allocated",
                heap("runtime.newobject", "example.com/relay.serve", "example.com/relay.accept"),
                goroutines("example.com/relay.waitAck", "example.com/relay.serve", "example.com/relay.accept"), true),
            new Case("another type of the same package",
                heap("runtime.newobject", "example.com/cache.(*Index).add", "example.com/api.(*Server).put"),
                goroutines("example.com/cache.(*Janitor).run"), false),
            new Case("a shared caller is not enough: both merely pass through the router",
                heap("runtime.newobject", "example.com/cache.(*LRU).Put", "example.com/api.(*Router).ServeHTTP",
                    "net/http.serverHandler.ServeHTTP", "net/http.(*conn).serve"),
                goroutines("example.com/notify.(*Hub).wait", "example.com/api.(*Router).ServeHTTP",
                    "net/http.serverHandler.ServeHTTP", "net/http.(*conn).serve"), false),
            new Case("functions of package main with different names",
                heap("runtime.makemap", "main.loadConfig", "main.main"), goroutines("main.poll", "runtime.goexit"),
                false),
            new Case("any other heap stack of runtime machinery only names no code",
                heap("runtime.allocm", "runtime.newm", "runtime.startm"), stuck, false));
        for (Case c : cases) {
            assertEquals(c.related(), SuspectRelations.codeMeets(c.heap(), c.goroutines()), c.name());
            assertEquals(c.related(), SuspectRelations.codeMeets(c.goroutines(), c.heap()), c.name() + " (reversed)");
        }
    }

    private final SuspectTracker tracker = new SuspectTracker(DetectionConfig.defaults());
    private ServiceSuspects state;
    private final List<SuspectEvent> events = new ArrayList<>();

    private void feed(InstanceReport r) {
        TrackerStep step = tracker.onReport(state, r);
        state = step.state();
        events.addAll(step.events());
    }

    private SuspectEvent last(Site site, SuspectStatus status) {
        String id = SuspectIds.of(Reports.SERVICE, site);
        return events.stream().filter(e -> e.suspectId().equals(id) && e.status() == status)
            .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no " + status + " event of " + id));
    }

    @Test
    void shouldListTheGoroutineSuspectOnTheHeapSuspectItHoldsAndBack() {
        Site stuck = goroutines(PUSH + "resolveDevice", "runtime.goexit");
        Site channels = heap("runtime.makechan", PUSH + "handlePush", "runtime.goexit");
        String stuckId = SuspectIds.of(Reports.SERVICE, stuck);
        String channelsId = SuspectIds.of(Reports.SERVICE, channels);
        for (int m = 0; m <= 25; m++) {
            feed(growing("replica-0", m, stuck, 600, 100 + 10L * m, 5, 0.9));
            if (m >= 5) { // the heap they hold grows past the floors later
                feed(growing("replica-0", m + 0.5, channels, 4e6, 1_000_000 + 50_000L * m, 4, 0.8));
            }
        }
        assertEquals(List.of(), last(stuck, SuspectStatus.OPEN).relatedSuspects(), "nothing else was open yet");
        assertEquals(List.of(stuckId), last(channels, SuspectStatus.OPEN).relatedSuspects());
        assertEquals(List.of(channelsId), last(stuck, SuspectStatus.UPDATED).relatedSuspects(),
            "the goroutine suspect's next event names the heap it holds");
    }

    @Test
    void shouldNotRelateSuspectsThatGrowOnDifferentInstances() {
        Site stuck = goroutines(PUSH + "resolveDevice", "runtime.goexit");
        Site channels = heap("runtime.makechan", PUSH + "handlePush", "runtime.goexit");
        for (int m = 0; m <= 12; m++) {
            feed(growing("replica-0", m, stuck, 600, 100 + 10L * m, 5, 0.9));
            feed(growing("replica-1", m + 0.5, channels, 4e6, 1_000_000 + 50_000L * m, 4, 0.8));
            feed(quiet("replica-1", m + 0.5, ProfileKind.GOROUTINE));
            feed(quiet("replica-0", m + 0.5, ProfileKind.HEAP));
        }
        assertEquals(List.of(), last(channels, SuspectStatus.OPEN).relatedSuspects());
        assertEquals(List.of(), last(stuck, SuspectStatus.UPDATED).relatedSuspects());
    }

    @Test
    void shouldDropTheRelationOnceTheOtherSuspectStopsGrowingThere() {
        Site stuck = goroutines(PUSH + "resolveDevice", "runtime.goexit");
        Site channels = heap("runtime.makechan", PUSH + "handlePush", "runtime.goexit");
        for (int m = 0; m <= 3; m++) {
            feed(growing("replica-0", m, stuck, 600, 100 + 10L * m, 5, 0.9));
        }
        // the goroutines' growth stops (a restart of their series, say): the heap that opens later is alone
        feed(new InstanceReport(Reports.SERVICE, "replica-0", ProfileKind.GOROUTINE, 4 * Reports.MIN, null, 1,
            SeriesUpdate.RESTARTED, List.of()));
        for (int m = 5; m <= 8; m++) {
            feed(growing("replica-0", m, channels, 4e6, 1_000_000 + 50_000L * m, 4, 0.8));
        }
        assertEquals(List.of(), last(channels, SuspectStatus.OPEN).relatedSuspects());
    }
}
