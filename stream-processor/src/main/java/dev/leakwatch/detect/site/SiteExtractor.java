package dev.leakwatch.detect.site;

import dev.leakwatch.detect.ProfileKind;
import dev.leakwatch.detect.Site;
import dev.leakwatch.detect.SiteFrame;
import dev.leakwatch.detect.SuspectKind;
import dev.leakwatch.detect.WaitReason;
import dev.leakwatch.pprof.Frame;
import dev.leakwatch.pprof.Profile;
import dev.leakwatch.pprof.Sample;
import dev.leakwatch.pprof.ValueType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a decoded Go profile into a {@link CaptureSnapshot}: one value per site and the instance totals.
 *
 * <p>Heap ({@code heap}, {@code allocs}): the value is {@code inuse_space} (bytes live after the last
 * completed GC, already scaled by the runtime for MemProfileRate — not rescaled here); the site is the
 * allocation stack, blamed on its first frame in the program's own code ({@link FrameRules#blamedIndex}). Samples
 * that differ only by object size ({@code bytes} label) or by line fold into one site. Totals: in-use
 * bytes, and the cumulative {@code alloc_objects}/{@code alloc_space} (restart detection).
 *
 * <p>Goroutines ({@code goroutine}, {@code goroutineleak}): the value is the goroutine count; the site is
 * blamed the same way (the first frame that is neither runtime machinery nor, when the program's own code
 * is on the stack, standard library), and the runtime frames at the top give the {@link WaitReason}.
 * Stacks that differ only by pprof labels fold into one site. Total: all goroutines.
 *
 * <p>Samples with an empty stack count in the totals only. Stateless and thread-safe.
 */
public final class SiteExtractor {
    private SiteExtractor() {
    }

    /**
     * @param profile decoded profile
     * @param kind    the kind the agent declared for it
     * @param timeMs  capture time (the agent's, not the profile's own timestamp)
     * @throws ProfileShapeException when the profile lacks the sample types its kind requires
     */
    public static CaptureSnapshot extract(Profile profile, ProfileKind kind, long timeMs) {
        return switch (kind) {
            case HEAP, ALLOCS -> heap(profile, kind, timeMs);
            case GOROUTINE, GOROUTINE_LEAK -> goroutines(profile, kind, timeMs);
        };
    }

    private static CaptureSnapshot heap(Profile p, ProfileKind kind, long timeMs) {
        int inuse = require(p, kind, "inuse_space");
        int allocObjects = require(p, kind, "alloc_objects");
        int allocSpace = require(p, kind, "alloc_space");
        Aggregator agg = new Aggregator(SuspectKind.HEAP);
        long total = 0;
        long objects = 0;
        long space = 0;
        for (Sample s : p.samples()) {
            long v = s.value(inuse);
            total += v;
            objects += s.value(allocObjects);
            space += s.value(allocSpace);
            agg.add(s, v);
        }
        return new CaptureSnapshot(kind, timeMs, agg.values(), total, objects, space, p.period());
    }

    private static CaptureSnapshot goroutines(Profile p, ProfileKind kind, long timeMs) {
        int idx = p.sampleIndex("goroutine");
        if (idx < 0) {
            idx = p.sampleIndex("count");
        }
        if (idx < 0) {
            throw shape(p, kind, "goroutine");
        }
        Aggregator agg = new Aggregator(SuspectKind.GOROUTINE);
        long total = 0;
        for (Sample s : p.samples()) {
            long v = s.value(idx);
            total += v;
            agg.add(s, v);
        }
        return new CaptureSnapshot(kind, timeMs, agg.values(), total, CaptureSnapshot.ABSENT,
                CaptureSnapshot.ABSENT, 1);
    }

    private static int require(Profile p, ProfileKind kind, String type) {
        int i = p.sampleIndex(type);
        if (i < 0) {
            throw shape(p, kind, type);
        }
        return i;
    }

    private static ProfileShapeException shape(Profile p, ProfileKind kind, String type) {
        return new ProfileShapeException("a " + kind.endpointName() + " profile needs sample type '" + type
                + "', this one has " + p.sampleTypes().stream().map(ValueType::type).toList());
    }

    /** Folds samples into sites by identity key, building each {@link Site} once. */
    private static final class Aggregator {
        private final SuspectKind kind;
        private final Map<SiteKey, Site> sites = new HashMap<>();
        private final Map<SiteKey, long[]> sums = new HashMap<>();
        private final List<SiteKey> order = new ArrayList<>();

        Aggregator(SuspectKind kind) {
            this.kind = kind;
        }

        /**
         * What {@link Site#keyOf} would say, without building its string per sample: the function
         * names of one decoded profile are shared strings whose hash codes are cached, so hashing
         * and comparing this is cheap.
         */
        private record SiteKey(WaitReason waitReason, List<String> blamedToRoot) {}

        void add(Sample s, long value) {
            List<Frame> stack = s.stack();
            if (stack.isEmpty() || value < 0) {
                return;
            }
            List<String> functions = new ArrayList<>(stack.size());
            for (Frame f : stack) {
                functions.add(f.function());
            }
            int blamed = FrameRules.blamedIndex(functions);
            WaitReason wait = kind == SuspectKind.GOROUTINE ? waitReason(functions) : null;
            SiteKey key = new SiteKey(wait, functions.subList(blamed, functions.size()));
            long[] sum = sums.get(key);
            if (sum == null) {
                sum = new long[1];
                sums.put(key, sum);
                order.add(key);
                sites.put(key, new Site(kind, toSiteFrames(stack), blamed, wait));
            }
            sum[0] += value;
        }

        List<SiteValue> values() {
            List<SiteValue> out = new ArrayList<>(order.size());
            for (SiteKey k : order) {
                out.add(new SiteValue(sites.get(k), sums.get(k)[0]));
            }
            return out;
        }

        /** The first frame from the leaf that names a wait; OTHER when none does (e.g. running). */
        private static WaitReason waitReason(List<String> functions) {
            for (String f : functions) {
                WaitReason r = FrameRules.waitReasonOf(f);
                if (r != null) {
                    return r;
                }
                if (!FrameRules.isMachinery(f)) {
                    break; // waits are expressed by the machinery at the top of the stack only
                }
            }
            return WaitReason.OTHER;
        }

        private static List<SiteFrame> toSiteFrames(List<Frame> stack) {
            List<SiteFrame> out = new ArrayList<>(stack.size());
            for (Frame f : stack) {
                out.add(new SiteFrame(f.function(), f.file(), f.line()));
            }
            return out;
        }
    }
}
