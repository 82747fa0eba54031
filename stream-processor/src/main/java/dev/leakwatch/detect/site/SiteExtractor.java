package dev.leakwatch.detect.site;

import dev.leakwatch.detect.ProfileKind;
import dev.leakwatch.detect.SuspectKind;
import dev.leakwatch.pprof.Profile;
import dev.leakwatch.pprof.SampleTable;
import dev.leakwatch.pprof.ValueType;
import java.util.List;

/**
 * Turns a decoded Go profile into a {@link CaptureSnapshot}: one value per site and the instance totals.
 *
 * <p>Heap ({@code heap}, {@code allocs}): the value is {@code inuse_space} (bytes live after the last
 * completed GC, already scaled by the runtime for MemProfileRate — not rescaled here); the site is the
 * allocation stack, blamed on its first frame in the program's own code ({@link FrameRules#blamedIndex}). Samples
 * that differ only by object size ({@code bytes} label) or by line fold into one site. Each site also carries
 * its cumulative {@code alloc_space} (its allocation rate, for the lifetime guard). Totals: in-use
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
        return extract(ProfileStacks.of(profile), kind, timeMs);
    }

    /**
     * As {@link #extract(Profile, ProfileKind, long)}, from the profile's stacks already read.
     *
     * @throws ProfileShapeException when the profile lacks the sample types its kind requires
     */
    public static CaptureSnapshot extract(ProfileStacks stacks, ProfileKind kind, long timeMs) {
        return switch (kind) {
            case HEAP, ALLOCS -> heap(stacks, kind, timeMs);
            case GOROUTINE, GOROUTINE_LEAK -> goroutines(stacks, kind, timeMs);
        };
    }

    /**
     * The totals of a heap-format profile ({@code heap} or {@code allocs}) without its sites, for a
     * profile that is not analysed: one pass over the values, no stacks read.
     *
     * @throws ProfileShapeException when the profile lacks the heap sample types
     */
    public static CaptureSnapshot totals(Profile profile, ProfileKind kind, long timeMs) {
        if (kind != ProfileKind.HEAP && kind != ProfileKind.ALLOCS) {
            throw new IllegalArgumentException("totals only of heap-format profiles, not " + kind);
        }
        return heap(profile, null, kind, timeMs);
    }

    private static CaptureSnapshot heap(ProfileStacks stacks, ProfileKind kind, long timeMs) {
        return heap(stacks.profile(), new SiteGrouper(SuspectKind.HEAP, stacks), kind, timeMs);
    }

    /** Heap totals, and sites when {@code agg} is not null. */
    private static CaptureSnapshot heap(Profile p, SiteGrouper agg, ProfileKind kind, long timeMs) {
        int inuse = require(p, kind, "inuse_space");
        int allocObjects = require(p, kind, "alloc_objects");
        int allocSpace = require(p, kind, "alloc_space");
        long total = 0;
        long objects = 0;
        long space = 0;
        SampleTable samples = p.sampleTable();
        long positive = 0;
        for (int i = 0; i < samples.size(); i++) {
            long v = samples.value(i, inuse);
            total += v;
            objects += samples.value(i, allocObjects);
            long allocated = samples.value(i, allocSpace);
            space += allocated;
            positive = fits(p, kind, positive, v);
            positive = fits(p, kind, positive, samples.value(i, allocObjects));
            positive = fits(p, kind, positive, allocated);
            if (agg != null) {
                agg.add(i, v, allocated);
            }
        }
        return new CaptureSnapshot(kind, timeMs, agg == null ? List.of() : agg.values(), total, objects, space,
                p.period());
    }

    private static CaptureSnapshot goroutines(ProfileStacks stacks, ProfileKind kind, long timeMs) {
        Profile p = stacks.profile();
        int idx = goroutineSampleIndex(p, kind);
        if (idx < 0) {
            throw shape(p, kind, String.join("' or '", goroutineSampleTypes(kind)));
        }
        SiteGrouper agg = new SiteGrouper(SuspectKind.GOROUTINE, stacks);
        long total = 0;
        SampleTable samples = p.sampleTable();
        long positive = 0;
        for (int i = 0; i < samples.size(); i++) {
            long v = samples.value(i, idx);
            total += v;
            positive = fits(p, kind, positive, v);
            agg.add(i, v);
        }
        return new CaptureSnapshot(kind, timeMs, agg.values(), total, CaptureSnapshot.ABSENT,
                CaptureSnapshot.ABSENT, 1);
    }

    /**
     * The sample types a goroutine-format profile of {@code kind} is counted by, preferred first. Go
     * writes both profiles with {@code printCountProfile}, which names the sample type after the
     * profile: {@code goroutine/count}, and {@code goroutineleak/count} for the goroutineleak endpoint
     * (a goroutine profile sent as one is read too: same format).
     */
    public static List<String> goroutineSampleTypes(ProfileKind kind) {
        return kind == ProfileKind.GOROUTINE_LEAK ? List.of("goroutineleak", "goroutine") : List.of("goroutine");
    }

    /** The index of the first of {@link #goroutineSampleTypes} that {@code p} has, or -1. */
    public static int goroutineSampleIndex(Profile p, ProfileKind kind) {
        for (String type : goroutineSampleTypes(kind)) {
            int i = p.sampleIndex(type);
            if (i >= 0) {
                return i;
            }
        }
        return -1;
    }

    /**
     * {@code sum} plus {@code value} when the value is positive. A site's value and allocations are
     * sums of the profile's positive values (negative ones are skipped), so when the sum of all of
     * them fits in a long, so do the sites'; a profile (int64 values, whatever a pusher sends) whose
     * values do not is rejected here, as bad input, rather than failing the stream thread where a
     * site's sum went negative.
     *
     * @throws ProfileShapeException when the sum passes {@link Long#MAX_VALUE}
     */
    private static long fits(Profile p, ProfileKind kind, long sum, long value) {
        if (value <= 0) {
            return sum;
        }
        if (sum > Long.MAX_VALUE - value) {
            throw new ProfileShapeException("a " + kind.endpointName() + " profile's sample values sum past "
                    + Long.MAX_VALUE + " (" + p.sampleTable().size() + " samples)");
        }
        return sum + value;
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
}
