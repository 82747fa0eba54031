package dev.leakwatch.detect.growth;

import dev.leakwatch.detect.DetectionConfig;
import dev.leakwatch.detect.DetectionPolicy;
import dev.leakwatch.detect.EvidencePoint;
import dev.leakwatch.detect.ProfileKind;
import dev.leakwatch.detect.series.InstanceSeries;
import dev.leakwatch.detect.series.RestartSignal;
import dev.leakwatch.detect.series.SeriesUpdate;
import dev.leakwatch.detect.series.TrackedSite;
import dev.leakwatch.detect.site.CaptureSnapshot;
import dev.leakwatch.detect.site.SiteExtractor;
import dev.leakwatch.detect.site.SiteValue;
import dev.leakwatch.pprof.Profile;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-instance detection: appends a capture to the instance's series and reports every site that grows.
 * This is the entry point the topology calls once per profile (per service, instance and profile kind),
 * storing {@link InstanceStep#series()} and forwarding {@link InstanceStep#report()} to the service-level
 * {@link dev.leakwatch.detect.lifecycle.SuspectTracker}.
 *
 * <p>Profile kinds: {@code HEAP} sites are judged on in-use bytes, {@code GOROUTINE} stacks on their
 * counts; every sample of a {@code GOROUTINE_LEAK} profile is reported at once (the runtime proved those
 * goroutines can never run); {@code ALLOCS} is not analysed (same records as heap) and yields an empty
 * report with update {@link SeriesUpdate#IGNORED}.
 *
 * <p>Each service is judged by the configuration its {@link DetectionPolicy} gives it; a service the policy
 * leaves unjudged still has its captures appended, but reports no findings.
 *
 * <p>Stateless apart from its configuration; thread-safe.
 */
public final class InstanceDetector {
    /** Per-instance confidence of a goroutineleak-profile sample. */
    public static final double GOROUTINE_LEAK_CONFIDENCE = 0.99;

    private final DetectionPolicy policy;
    /** One analyzer per configuration of the policy (base and rules), by identity. */
    private final Map<DetectionConfig, GrowthAnalyzer> analyzers = new IdentityHashMap<>();

    /** A detector judging every service by {@code config}. */
    public InstanceDetector(DetectionConfig config) {
        this(DetectionPolicy.of(config));
    }

    public InstanceDetector(DetectionPolicy policy) {
        this.policy = policy;
        analyzers.put(policy.base(), new GrowthAnalyzer(policy.base()));
        for (DetectionPolicy.Rule r : policy.rules()) {
            analyzers.computeIfAbsent(r.config(), GrowthAnalyzer::new);
        }
    }

    /** The policy this detector judges by. */
    public DetectionPolicy policy() {
        return policy;
    }

    /**
     * Processes one decoded profile: extracts its sites ({@link SiteExtractor}) and continues as
     * {@link #process(InstanceSeries, CaptureContext, CaptureSnapshot)}.
     *
     * @throws dev.leakwatch.detect.site.ProfileShapeException when the profile lacks the sample types its
     *         kind requires
     */
    public InstanceStep process(InstanceSeries series, CaptureContext ctx, Profile profile) {
        return process(series, ctx, SiteExtractor.extract(profile, ctx.kind(), ctx.captureTimeMs()));
    }

    /**
     * Processes one capture.
     *
     * @param series   the instance's stored series for {@code ctx.kind()}, or null when none is stored yet;
     *                 it is updated in place
     * @param ctx      what the agent knows about the capture
     * @param snapshot the capture's extracted sites and totals (kind must match {@code ctx.kind()})
     */
    public InstanceStep process(InstanceSeries series, CaptureContext ctx, CaptureSnapshot snapshot) {
        return process(series, ctx, snapshot, null);
    }

    /**
     * As {@link #process(InstanceSeries, CaptureContext, CaptureSnapshot)}, with the restarts the
     * instance's heap series has seen ({@link InstanceSeries#append(CaptureSnapshot, DetectionConfig,
     * RestartSignal)}); null when the instance has no heap series.
     */
    public InstanceStep process(InstanceSeries series, CaptureContext ctx, CaptureSnapshot snapshot,
            RestartSignal heapRestarts) {
        if (snapshot.kind() != ctx.kind()) {
            throw new IllegalArgumentException("capture context says " + ctx.kind() + ", snapshot is "
                    + snapshot.kind());
        }
        InstanceSeries s = series != null ? series : InstanceSeries.empty(ctx.kind());
        if (ctx.kind() == ProfileKind.ALLOCS) {
            return new InstanceStep(s, report(ctx, snapshot, SeriesUpdate.IGNORED, List.of()));
        }
        DetectionPolicy.Rule rule = policy.ruleFor(ctx.service());
        DetectionConfig config = policy.configOf(rule);
        SeriesUpdate update = s.append(snapshot, config, heapRestarts);
        if (update == SeriesUpdate.IGNORED || !DetectionPolicy.judged(rule)) {
            return new InstanceStep(s, report(ctx, snapshot, update, List.of()));
        }
        List<GrowthFinding> findings = ctx.kind() == ProfileKind.GOROUTINE_LEAK
                ? leakedGoroutines(s, ctx, snapshot, config)
                : growingSites(s, ctx, snapshot, config);
        return new InstanceStep(s, report(ctx, snapshot, update, findings));
    }

    private InstanceReport report(CaptureContext ctx, CaptureSnapshot snap, SeriesUpdate update,
            List<GrowthFinding> findings) {
        return new InstanceReport(ctx.service(), ctx.instance(), ctx.kind(), ctx.captureTimeMs(),
                ctx.memoryLimitBytes(), snap.totalValue(), update, findings);
    }

    private List<GrowthFinding> growingSites(InstanceSeries s, CaptureContext ctx, CaptureSnapshot snap,
            DetectionConfig config) {
        GrowthAnalyzer analyzer = analyzers.get(config);
        List<GrowthFinding> out = new ArrayList<>();
        for (TrackedSite t : s.sites()) {
            int at = snap.indexOf(t.id());
            SiteValue current = at < 0 ? null : snap.site(at);
            if (current == null || current.value() == 0) {
                continue; // not in this capture: cannot be growing, and its frames are unknown
            }
            long[] values = t.knownValues();
            long[] times = s.lastTimes(values.length);
            if (!analyzer.mayBeGrowing(times, values)) {
                continue;
            }
            SiteJudgement j = judge(analyzer, s, t, times, values);
            if (j.growing()) {
                out.add(new GrowthFinding(current.site(), j.slopePerHour(), current.value(),
                        GrowthFinding.MANN_KENDALL, j.zScore(), confidence(config, j.zScore()),
                        times[j.firstGrowthIndex()], evidence(config, ctx.instance(), times, values)));
            }
        }
        return out;
    }

    /**
     * What detection made of tracked site {@code t} at the latest capture of series {@code s}, from the stored
     * series alone, for callers that show the growth detection sees (the query API's series answers): of a heap
     * or goroutine series, the {@link GrowthAnalyzer} judgement {@link #process} made at that capture (same
     * window, sampling period, generation start, instance total and guards; a site that failed the analyzer's
     * cheap pre-check gets the verdict the full judgement gives it); of a goroutineleak series, {@code GROWING}
     * at the average rate between the first and the last known count, as {@link #process} reports, once two
     * captures are known ({@code TOO_FEW_CAPTURES} before). Judged by {@code service}'s configuration in the
     * policy; where its rule turns judging off, {@code GROWING} reads {@link Verdict#NOT_JUDGED} (nothing was
     * reported). Null when the site is not in that capture: detection judges only the sites a capture holds.
     */
    public SiteJudgement judgeLatest(String service, InstanceSeries s, TrackedSite t) {
        if (t.lastValue() == 0) {
            return null;
        }
        long[] values = t.knownValues();
        long[] times = s.lastTimes(values.length);
        DetectionPolicy.Rule rule = policy.ruleFor(service);
        SiteJudgement j;
        if (s.kind() == ProfileKind.GOROUTINE_LEAK) {
            j = values.length < 2 ? SiteJudgement.rejected(Verdict.TOO_FEW_CAPTURES, Double.NaN, Double.NaN)
                    : new SiteJudgement(Verdict.GROWING, 0, leakRate(times, values), 0);
        } else {
            j = judge(analyzers.get(policy.configOf(rule)), s, t, times, values);
        }
        return j.growing() && !DetectionPolicy.judged(rule)
                ? SiteJudgement.rejected(Verdict.NOT_JUDGED, j.zScore(), j.slopePerHour()) : j;
    }

    /** The judgement of {@code t}'s known values at {@code s}'s latest capture, whose instance total it takes. */
    private static SiteJudgement judge(GrowthAnalyzer analyzer, InstanceSeries s, TrackedSite t, long[] times,
            long[] values) {
        return analyzer.judge(times, values, s.kind().suspectKind(), s.samplingPeriod(), s.total(s.size() - 1),
                s.generationStartMs(), t.quietUntilMs(), t.climbPast(), t.knownLifetimes());
    }

    private List<GrowthFinding> leakedGoroutines(InstanceSeries s, CaptureContext ctx, CaptureSnapshot snap,
            DetectionConfig config) {
        List<GrowthFinding> out = new ArrayList<>();
        for (SiteValue v : snap.sites().values()) {
            if (v.value() <= 0) {
                continue;
            }
            TrackedSite t = s.sites().stream().filter(x -> x.id() == v.id()).findFirst().orElse(null);
            long[] values = t == null ? new long[] {v.value()} : t.knownValues();
            long[] times = s.lastTimes(values.length);
            double slope = leakRate(times, values);
            out.add(new GrowthFinding(v.site(), slope, v.value(), GrowthFinding.GOROUTINE_LEAK_PROFILE,
                    0, GOROUTINE_LEAK_CONFIDENCE, times[0], evidence(config, ctx.instance(), times, values)));
        }
        return out;
    }

    /** Average rate between the first and the last known count; 0 with a single capture. */
    private static double leakRate(long[] times, long[] values) {
        int n = values.length;
        if (n < 2 || times[n - 1] == times[0]) {
            return 0;
        }
        return (values[n - 1] - values[0]) * 3_600_000.0 / (times[n - 1] - times[0]);
    }

    /**
     * Per-instance confidence from the Mann-Kendall Z: 0.5 at the threshold, approaching 0.99 as Z grows
     * (each 2 units of Z above the threshold halve the remaining doubt).
     */
    static double confidence(DetectionConfig config, double z) {
        double c = 1.0 - 0.5 * Math.pow(0.5, (z - config.minTrendZ()) / 2.0);
        return Math.max(0.5, Math.min(0.99, c));
    }

    private static List<EvidencePoint> evidence(DetectionConfig config, String instance, long[] times,
            long[] values) {
        int k = Math.min(config.evidencePerInstance(), values.length);
        List<EvidencePoint> pts = new ArrayList<>(k);
        for (int i = values.length - k; i < values.length; i++) {
            pts.add(new EvidencePoint(instance, times[i], values[i]));
        }
        return pts;
    }
}
