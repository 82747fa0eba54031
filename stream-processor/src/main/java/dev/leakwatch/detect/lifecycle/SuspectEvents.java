package dev.leakwatch.detect.lifecycle;

import dev.leakwatch.detect.DetectionConfig;
import dev.leakwatch.detect.EvidencePoint;
import dev.leakwatch.detect.Site;
import dev.leakwatch.detect.SiteFrame;
import dev.leakwatch.detect.SuspectKind;
import dev.leakwatch.detect.SuspectStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds {@link SuspectEvent}s from lifecycle state: fleet aggregation, confidence and projection. */
final class SuspectEvents {
    private final DetectionConfig config;

    SuspectEvents(DetectionConfig config) {
        this.config = config;
    }

    /**
     * @param now   the event's time, the service's own
     * @param times the service's instances as judged at this step: an instance lists as growing only
     *              where {@link InstanceTimes#growing} says so (every instance, for a RESOLVED)
     */
    SuspectEvent build(ServiceSuspects s, SuspectState st, SuspectStatus status, long now, InstanceTimes times) {
        List<Map.Entry<String, InstanceGrowth>> entries = new ArrayList<>();
        for (Map.Entry<String, InstanceGrowth> e : st.instances().entrySet()) {
            if (status == SuspectStatus.RESOLVED || times.growing(e.getKey(), e.getValue())) {
                entries.add(e);
            }
        }
        List<String> instances = new ArrayList<>();
        List<EvidencePoint> evidence = new ArrayList<>();
        double rate = 0;
        double value = 0;
        double z = Double.NEGATIVE_INFINITY;
        double doubt = 1;
        String statistic = null;
        for (Map.Entry<String, InstanceGrowth> e : entries) {
            InstanceGrowth g = e.getValue();
            instances.add(e.getKey());
            evidence.addAll(g.evidence());
            rate += g.slopePerHour();
            value += g.currentValue();
            doubt *= 1 - g.confidence();
            if (g.zScore() > z || statistic == null) {
                z = g.zScore();
                statistic = g.statistic();
            }
        }
        Site site = st.site();
        Long exhaustion = null;
        Long limit = null;
        if (status != SuspectStatus.RESOLVED) {
            for (String inst : instances) {
                InstanceInfo info = s.instances().get(inst);
                if (info == null) {
                    continue;
                }
                Long at = ExhaustionProjection.project(now, info.heapInuseBytes(), memoryGrowthOn(s, inst, times),
                        info.memoryLimitBytes());
                if (at != null && (exhaustion == null || at < exhaustion)) {
                    exhaustion = at;
                    limit = info.memoryLimitBytes();
                }
            }
        }
        return new SuspectEvent(st.id(), s.service(), instances, site.kind(), status, site.frame(),
                reportedStack(site), site.waitReason(), rate, site.kind().growthUnit(), value,
                site.kind().valueUnit(), st.firstGrowthMs(), now, statistic == null ? "none" : statistic,
                entries.isEmpty() ? 0 : z, entries.isEmpty() ? 0 : 1 - doubt, evidence, exhaustion, limit,
                related(s, st, status, instances, times));
    }

    /**
     * A RESOLVED suspect grows nowhere, so by the relation's own terms it is related to nothing: naming a
     * goroutine suspect that goes on growing where this heap stopped would tie together the very pair the
     * resolution tells apart.
     */
    private static List<String> related(ServiceSuspects s, SuspectState st, SuspectStatus status,
            List<String> instances, InstanceTimes times) {
        return status == SuspectStatus.RESOLVED ? List.of() : SuspectRelations.of(s, st, instances, times);
    }

    /**
     * Memory growth on an instance, in bytes per hour: the slopes of every heap site growing there, plus every
     * goroutine site's growth at {@link ExhaustionProjection#GOROUTINE_STACK_BYTES} a goroutine. Stacks are not
     * in the heap profile, so without them a goroutine leak whose goroutines hold little heap would project
     * nothing, though its stacks alone fill the memory; counted at Go's smallest stack they are a lower
     * bound, which keeps the projection an upper bound.
     */
    private static double memoryGrowthOn(ServiceSuspects s, String instance, InstanceTimes times) {
        double sum = 0;
        for (SuspectState st : s.suspects().values()) {
            InstanceGrowth g = st.instances().get(instance);
            if (times.growing(instance, g)) {
                sum += st.site().kind() == SuspectKind.HEAP ? g.slopePerHour()
                        : g.slopePerHour() * ExhaustionProjection.GOROUTINE_STACK_BYTES;
            }
        }
        return sum;
    }

    /** The stack cut to {@code maxReportedFrames}, but never above the blamed frame. */
    private List<SiteFrame> reportedStack(Site site) {
        int keep = Math.max(config.maxReportedFrames(), site.siteIndex() + 1);
        List<SiteFrame> stack = site.stack();
        return stack.size() <= keep ? stack : stack.subList(0, keep);
    }
}
