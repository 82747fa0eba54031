package dev.leakwatch.detect.lifecycle;

/**
 * How much of the stream time that passed since an instance's latest report arrived may count as its
 * silence (for its being gone, and for its growth going stale).
 *
 * <p>Stream time is the task's latest capture time, so it also moves for reports of other instances
 * and services that happen to be read first: after a processor outage one input partition's backlog
 * can be read an hour ahead of another's, and an instance on the partition read later would look
 * silent for that hour. The topology therefore limits each instance's silence to how far the
 * processor's own clock ran since its report arrived; {@link #NONE} counts stream time alone.
 */
@FunctionalInterface
public interface SilenceLimit {
    /** No limit: an instance's silence is the stream time since its latest report arrived. */
    SilenceLimit NONE = instance -> Long.MAX_VALUE;

    /**
     * @param instance an instance of the service being judged
     * @return the most milliseconds of silence to count for it, {@code >= 0}; {@code Long.MAX_VALUE} for no limit
     */
    long maxSilenceMs(String instance);

    /**
     * At least every instance's {@link #maxSilenceMs}, for every instance of the service but one that
     * arrived with the report being judged (whose silence is none): while it is shorter than {@code
     * instanceGoneAfter} no instance can be gone, and the instances are not walked to find out.
     */
    default long longestMs() {
        return Long.MAX_VALUE;
    }
}
