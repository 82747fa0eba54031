package dev.leakwatch.detect.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leakwatch.detect.Site;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Related suspects: when the code of a heap site and a goroutine site meets. Stacks are leaf first; the
 * blamed frame is the first one that is neither runtime machinery nor standard library. How events name
 * related suspects is in {@link SuspectTrackerTest}.
 */
class SuspectRelationsTest {
    private static final String PUSH = "leakwatch.dev/goleaker/internal/push.(*Dispatcher).";

    private record Case(String name, Site heap, Site goroutines, boolean related) {}

    @Test
    void shouldRelateSitesWhoseCodeMeetsAndNoOthers() {
        Site stuck = Reports.goroutineSite(PUSH + "resolveDevice", "runtime.goexit");
        List<Case> cases = List.of(
            new Case("the handler that made the channel and the method it started: one receiver type",
                Reports.heapSite("runtime.makechan", PUSH + "handlePush", "runtime.goexit"), stuck, true),
            new Case("goroutine structures: allocated on the system stack, their stack ends in the runtime",
                Reports.heapSite("runtime.malg", "runtime.newproc1", "runtime.newproc.func1", "runtime.systemstack"), stuck, true),
            new Case("goroutine structures whatever the goroutines run",
                Reports.heapSite("runtime.malg", "runtime.newproc1", "runtime.newproc.func1", "runtime.systemstack"),
                Reports.goroutineSite("example.com/jobs.report", "runtime.goexit"), true),
            new Case("allocated in the function the goroutines are stuck in",
                Reports.heapSite("runtime.makeslice", "example.com/jobs.report", "example.com/jobs.run.func1"),
                Reports.goroutineSite("example.com/jobs.report", "example.com/jobs.run.func1"), true),
            new Case("allocated below the function the goroutines are stuck in (a closure of it)",
                Reports.heapSite("runtime.makeslice", "example.com/codec.encode", "example.com/jobs.report.func2"),
                Reports.goroutineSite("example.com/jobs.report", "runtime.goexit"), true),
            new Case("the goroutines are stuck below the function that allocated",
                Reports.heapSite("runtime.newobject", "example.com/relay.serve", "example.com/relay.accept"),
                Reports.goroutineSite("example.com/relay.waitAck", "example.com/relay.serve", "example.com/relay.accept"), true),
            new Case("another type of the same package",
                Reports.heapSite("runtime.newobject", "example.com/cache.(*Index).add", "example.com/api.(*Server).put"),
                Reports.goroutineSite("example.com/cache.(*Janitor).run"), false),
            new Case("a shared caller is not enough: both merely pass through the router",
                Reports.heapSite("runtime.newobject", "example.com/cache.(*LRU).Put", "example.com/api.(*Router).ServeHTTP",
                    "net/http.serverHandler.ServeHTTP", "net/http.(*conn).serve"),
                Reports.goroutineSite("example.com/notify.(*Hub).wait", "example.com/api.(*Router).ServeHTTP",
                    "net/http.serverHandler.ServeHTTP", "net/http.(*conn).serve"), false),
            new Case("functions of package main with different names",
                Reports.heapSite("runtime.makemap", "main.loadConfig", "main.main"), Reports.goroutineSite("main.poll", "runtime.goexit"),
                false),
            new Case("any other heap stack of runtime machinery only names no code",
                Reports.heapSite("runtime.allocm", "runtime.newm", "runtime.startm"), stuck, false));
        for (Case c : cases) {
            assertEquals(c.related(), SuspectRelations.codeMeets(c.heap(), c.goroutines()), c.name());
            assertEquals(c.related(), SuspectRelations.codeMeets(c.goroutines(), c.heap()), c.name() + " (reversed)");
        }
    }
}
