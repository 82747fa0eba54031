package dev.leakwatch.detect.lifecycle;

import java.util.Set;

/**
 * One judgement of a service's instances, each by its own time ({@link InstanceInfo#ownTimeMs}) at
 * the state's stream time: which instances are gone, and which growth is still current.
 *
 * <p>Why each by its own: the instances of one service are read from several input partitions, and
 * their agents' clocks differ. Judged against the service's latest capture, an instance whose
 * partition is read behind its siblings' (a processor's catch-up after an outage) or whose agent's
 * clock runs behind theirs by more than {@code instanceGoneAfter} was taken for gone at each of its
 * captures, and a suspect growing only there went OPEN, RESOLVED, OPEN with every one. Judged by its
 * own silence, it is gone only once it stops sending, and its growth is stale only when its own
 * captures stopped showing it.
 */
final class InstanceTimes {
    private final ServiceSuspects state;
    private final SilenceLimit limit;
    private final long resolveAfterMs;
    private final Set<String> gone;

    private InstanceTimes(ServiceSuspects state, SilenceLimit limit, long resolveAfterMs, Set<String> gone) {
        this.state = state;
        this.limit = limit;
        this.resolveAfterMs = resolveAfterMs;
        this.gone = gone;
    }

    /** Judges {@code state}'s instances at its stream time; the judgement holds until the state changes. */
    static InstanceTimes judge(ServiceSuspects state, SilenceLimit limit, long goneAfterMs, long resolveAfterMs) {
        return new InstanceTimes(state, limit, resolveAfterMs, state.goneAt(goneAfterMs, limit));
    }

    /**
     * For events that judge no instance: a RESOLVED lists every instance the suspect had, growing or
     * not, so nothing is looked up and no instance is walked.
     */
    static InstanceTimes unjudged(ServiceSuspects state) {
        return new InstanceTimes(state, SilenceLimit.NONE, 0, Set.of());
    }

    /** The instances silent for {@code instanceGoneAfter} or longer; read-only. */
    Set<String> gone() {
        return gone;
    }

    /**
     * True when {@code g} says the site grows on {@code instance} by a report younger than {@code
     * resolveAfter} of the instance's own time, and the instance is not gone. An instance the state no
     * longer lists is judged by the service's own time ({@link ServiceSuspects#nowMs()}).
     */
    boolean growing(String instance, InstanceGrowth g) {
        if (g == null || !g.growing() || gone.contains(instance)) {
            return false;
        }
        InstanceInfo info = state.instances().get(instance);
        long now = info == null ? state.nowMs() : info.ownTimeMs(state.streamTimeMs(), limit.maxSilenceMs(instance));
        return g.lastGrowthMs() > now - resolveAfterMs;
    }
}
