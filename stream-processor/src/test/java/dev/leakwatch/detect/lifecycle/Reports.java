package dev.leakwatch.detect.lifecycle;

import dev.leakwatch.detect.EvidencePoint;
import dev.leakwatch.detect.ProfileKind;
import dev.leakwatch.detect.Site;
import dev.leakwatch.detect.SiteFrame;
import dev.leakwatch.detect.SuspectKind;
import dev.leakwatch.detect.WaitReason;
import dev.leakwatch.detect.growth.GrowthFinding;
import dev.leakwatch.detect.growth.InstanceReport;
import dev.leakwatch.detect.series.SeriesUpdate;
import dev.leakwatch.detect.site.FrameRules;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Instance reports for lifecycle tests (the lifecycle's input is reports, not profiles). */
final class Reports {
    static final String SERVICE = "checkout";
    static final long MIN = 60_000;

    private Reports() {
    }

    /** A heap report from {@code instance} at minute {@code minute} listing {@code site} as growing. */
    static InstanceReport growing(String instance, double minute, Site site, double slopePerHour, long value,
            double z, double confidence) {
        long t = (long) (minute * MIN);
        GrowthFinding f = new GrowthFinding(site, slopePerHour, value, GrowthFinding.MANN_KENDALL, z, confidence,
                t - 5 * MIN, List.of(new EvidencePoint(instance, t, value)));
        return new InstanceReport(SERVICE, instance, kindOf(site), t, null, 500_000_000, SeriesUpdate.APPENDED,
                List.of(f));
    }

    /** A report from {@code instance} at minute {@code minute} in which nothing grows. */
    static InstanceReport quiet(String instance, double minute, ProfileKind kind) {
        return new InstanceReport(SERVICE, instance, kind, (long) (minute * MIN), null, 500_000_000,
                SeriesUpdate.APPENDED, List.of());
    }

    /** Applies one report to {@code state}: adds the events it emits to {@code events}, returns the state after it. */
    static ServiceSuspects feed(SuspectTracker tracker, ServiceSuspects state, InstanceReport r, List<SuspectEvent> events) {
        TrackerStep step = tracker.onReport(state, r);
        events.addAll(step.events());
        return step.state();
    }

    /** A heap site allocated on {@code stack} (leaf first), blaming the first frame of the program's own code. */
    static Site heapSite(String... stack) {
        return site(SuspectKind.HEAP, null, stack);
    }

    /** A goroutine site parked on a channel send, {@code stack} below {@code runtime.gopark}. */
    static Site goroutineSite(String... stack) {
        List<String> frames = new ArrayList<>(List.of("runtime.gopark", "runtime.chansend", "runtime.chansend1"));
        frames.addAll(Arrays.asList(stack));
        return site(SuspectKind.GOROUTINE, WaitReason.CHAN_SEND, frames.toArray(String[]::new));
    }

    private static Site site(SuspectKind kind, WaitReason wait, String... stack) {
        List<SiteFrame> frames = Arrays.stream(stack).map(f -> new SiteFrame(f, "x.go", 1)).toList();
        return new Site(kind, frames, FrameRules.blamedIndex(Arrays.asList(stack)), wait);
    }

    private static ProfileKind kindOf(Site site) {
        return site.waitReason() == null ? ProfileKind.HEAP : ProfileKind.GOROUTINE;
    }
}
