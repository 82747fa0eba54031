package dev.leakwatch.detect.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.detect.WaitReason;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameRulesTest {

    @Test
    void shouldTreatRuntimeInternalSyncAndSleepAsMachinery() {
        assertTrue(FrameRules.isMachinery("runtime.mallocgc"));
        assertTrue(FrameRules.isMachinery("runtime/internal/atomic.Load"));
        assertTrue(FrameRules.isMachinery("internal/poll.runtime_pollWait"));
        assertTrue(FrameRules.isMachinery("sync.(*Pool).pinSlow"));
        assertTrue(FrameRules.isMachinery("time.Sleep"));
        assertFalse(FrameRules.isMachinery("runtime/pprof.Do"), "runtime/pprof is a library, not machinery");
        assertFalse(FrameRules.isMachinery("main.main"));
    }

    @Test
    void shouldTellTheStandardLibraryFromTheProgramsOwnCode() {
        assertTrue(FrameRules.isStandardLibrary("strings.(*Builder).WriteString"));
        assertTrue(FrameRules.isStandardLibrary("net/http.(*conn).serve"));
        assertTrue(FrameRules.isStandardLibrary("encoding/json.(*decodeState).object"));
        assertFalse(FrameRules.isStandardLibrary("main.(*server).handleSession"));
        assertFalse(FrameRules.isStandardLibrary("github.com/acme/storefront/internal/session.trackUser"));
        assertFalse(FrameRules.isStandardLibrary("example.com/net.Dial"), "a module path is never std");
    }

    @Test
    void shouldBlameTheFirstFrameOfTheProgramsOwnCode() {
        assertEquals(2, FrameRules.blamedIndex(List.of("runtime.makeslice", "strings.(*Builder).grow",
                "example.com/app/catalog.phrase", "main.main")));
        // only standard library below the machinery: blame the first non-machinery frame
        assertEquals(1, FrameRules.blamedIndex(List.of("runtime.gopark", "net.(*netFD).Read", "net/http.(*conn).serve")));
        // nothing but machinery: blame the leaf
        assertEquals(0, FrameRules.blamedIndex(List.of("runtime.malg", "runtime.newproc1")));
    }

    @Test
    void shouldClassifyWhatAParkedGoroutineWaitsOn() {
        assertEquals(WaitReason.CHAN_SEND, FrameRules.waitReasonOf("runtime.chansend1"));
        assertEquals(WaitReason.CHAN_RECEIVE, FrameRules.waitReasonOf("runtime.chanrecv2"));
        assertEquals(WaitReason.SELECT, FrameRules.waitReasonOf("runtime.selectgo"));
        assertEquals(WaitReason.SELECT, FrameRules.waitReasonOf("runtime.block"));
        assertEquals(WaitReason.LOCK, FrameRules.waitReasonOf("sync.(*Mutex).Lock"));
        assertEquals(WaitReason.LOCK, FrameRules.waitReasonOf("runtime.semacquire1"));
        assertEquals(WaitReason.LOCK, FrameRules.waitReasonOf("sync.(*WaitGroup).Wait"));
        assertEquals(WaitReason.IO, FrameRules.waitReasonOf("internal/poll.(*FD).Read"));
        assertEquals(WaitReason.IO, FrameRules.waitReasonOf("runtime.netpollblock"));
        assertEquals(WaitReason.SLEEP, FrameRules.waitReasonOf("time.Sleep"));
        assertNull(FrameRules.waitReasonOf("runtime.gopark"), "gopark says only that it is parked");
    }

    @Test
    void shouldNameTheFunctionThatEnclosesGeneratedCode() {
        String[][] cases = {
            {"app.(*Pool).run.func1.2", "app.(*Pool).run"},
            {"example.com/x/app.worker.func3", "example.com/x/app.worker"},
            {"app.(*Pool[...]).run", "app.(*Pool).run"},
            {"app.Map[...].Get.gowrap1", "app.Map.Get"},
            {"app.(*Server).flush.deferwrap2", "app.(*Server).flush"},
            {"app.(*Server).handle-fm", "app.(*Server).handle"},
            {"app.(*Server).functional", "app.(*Server).functional"},
            {"app.func1", "app.func1"}, // a function that happens to be called func1 keeps its name
            {"example.com/v2.3/app.run", "example.com/v2.3/app.run"},
            {"main.main", "main.main"},
        };
        for (String[] c : cases) {
            assertEquals(c[1], FrameRules.enclosingFunction(c[0]), c[0]);
        }
    }

    @Test
    void shouldNameTheFunctionThatEnclosesRangeOverFuncLoopBodiesWhenBuiltWithGo123() {
        String[][] cases = {
            {"app.scan-range1", "app.scan"},
            {"app.scan-range1-range2", "app.scan"},
            {"app.(*Store).Each-range1.func1", "app.(*Store).Each"},
            {"example.com/x-range1/app.scan", "example.com/x-range1/app.scan"},
        };
        for (String[] c : cases) {
            assertEquals(c[1], FrameRules.enclosingFunction(c[0]), c[0]);
        }
        assertEquals("app.scan", FrameRules.codeUnit("app.scan-range1"), "a loop body is its function's code");
    }

    @Test
    void shouldDropShapeTypeArgumentsWhenProfilesSpellThemOutAsGo121Does() {
        String[][] cases = { // {function, enclosing function, code unit}
            {"app.(*Cache[go.shape.string]).Put.func1", "app.(*Cache).Put", "app.Cache"},
            {"example.com/app.Map[go.shape.struct { example.com/x.T int }].Get", "example.com/app.Map.Get", "example.com/app.Map"},
            {"example.com/app.(*Pool[go.shape.func(int) string,go.shape.[]uint8]).run.gowrap1", "example.com/app.(*Pool).run", "example.com/app.Pool"},
            {"example.com/app.Collect[go.shape.int]", "example.com/app.Collect", "example.com/app.Collect"},
        };
        for (String[] c : cases) {
            assertEquals(c[1], FrameRules.enclosingFunction(c[0]), c[0]);
            assertEquals(c[2], FrameRules.codeUnit(c[0]), c[0]);
        }
    }

    @Test
    void shouldNameTheOuterFunctionOfNestedClosuresWhenGo124RepeatsItsName() {
        String[][] cases = {
            {"main.foo.func1.func2", "main.foo"}, // Go 1.21 to 1.23
            {"main.foo.foo.func1.func2", "main.foo"},
            {"main.foo.foo.func1.foo.foo.func1.func2.func3", "main.foo"},
            {"app.(*Pool).run.(*Pool).run.func1.func2", "app.(*Pool).run"},
            {"app.T.T", "app.T.T"}, // no closure: a method T of a type T keeps its name
        };
        for (String[] c : cases) {
            assertEquals(c[1], FrameRules.enclosingFunction(c[0]), c[0]);
        }
    }

    @Test
    void shouldKeepEachPackageLevelFunctionLiteralApartWhenClosuresAreNamedAfterTheInitialisation() {
        String[][] cases = { // before Go 1.22: glob..funcN; since: init.funcN
            {"app.glob..func1", "app.glob..func1"},
            {"app.glob..func2.1", "app.glob..func2"},
            {"app.init.func1", "app.init.func1"},
            {"app.init.func3.gowrap1", "app.init.func3"},
        };
        for (String[] c : cases) {
            assertEquals(c[1], FrameRules.enclosingFunction(c[0]), c[0]);
            assertEquals(c[1], FrameRules.codeUnit(c[0]), c[0]);
        }
    }

    @Test
    void shouldGroupMethodsByReceiverTypeAndFunctionsByName() {
        String[][] cases = {
            {"leakwatch.dev/goleaker/internal/push.(*Dispatcher).resolveDevice", "leakwatch.dev/goleaker/internal/push.Dispatcher"},
            {"leakwatch.dev/goleaker/internal/push.(*Dispatcher).handlePush", "leakwatch.dev/goleaker/internal/push.Dispatcher"},
            {"app.Point.String", "app.Point"},
            {"app.(*Cache[...]).Put.func1", "app.Cache"},
            {"app.worker.func2", "app.worker"},
            {"main.main", "main.main"},
            {"net/http.(*persistConn).readLoop", "net/http.persistConn"},
        };
        for (String[] c : cases) {
            assertEquals(c[1], FrameRules.codeUnit(c[0]), c[0]);
        }
    }
}
