package dev.leakwatch.detect;

import dev.leakwatch.detect.site.CaptureSnapshot;
import dev.leakwatch.detect.site.SiteValue;
import java.util.ArrayList;
import java.util.List;

/**
 * Numeric test inputs for the statistics, the series state and the lifecycle — never stand-ins for Go
 * profiles (profile-level behaviour is tested on the recorded fixtures).
 */
public final class Synthetic {
    private Synthetic() {
    }

    /** A one-frame heap site named after a function. */
    public static Site heapSite(String function) {
        return new Site(SuspectKind.HEAP, List.of(new SiteFrame(function, "app.go", 10)), 0, null);
    }

    /** A goroutine site parked on a channel send. */
    public static Site goroutineSite(String function) {
        return new Site(SuspectKind.GOROUTINE, List.of(new SiteFrame("runtime.gopark", "proc.go", 1),
                new SiteFrame(function, "app.go", 10)), 1, WaitReason.CHAN_SEND);
    }

    /** A heap snapshot: sites paired with values, the given total and cumulative allocations. */
    public static CaptureSnapshot heap(long timeMs, long total, long cumulativeAlloc, Object... siteValuePairs) {
        return new CaptureSnapshot(ProfileKind.HEAP, timeMs, values(siteValuePairs), total, cumulativeAlloc,
                cumulativeAlloc * 8, 512 * 1024);
    }

    /** A goroutine snapshot. */
    public static CaptureSnapshot goroutines(long timeMs, long total, Object... siteValuePairs) {
        return new CaptureSnapshot(ProfileKind.GOROUTINE, timeMs, values(siteValuePairs), total,
                CaptureSnapshot.ABSENT, CaptureSnapshot.ABSENT, 1);
    }

    private static List<SiteValue> values(Object... pairs) {
        List<SiteValue> out = new ArrayList<>();
        for (int i = 0; i < pairs.length; i += 2) {
            out.add(new SiteValue((Site) pairs[i], ((Number) pairs[i + 1]).longValue()));
        }
        return out;
    }
}
