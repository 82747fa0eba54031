package dev.leakwatch.detect;

/** Lifecycle status carried by a suspect event. */
public enum SuspectStatus {
    /** First event of an episode: the site grows on at least one instance. Emitted once per episode. */
    OPEN,
    /** The suspect still grows; fresh numbers. Rate-limited by {@link DetectionConfig#updateInterval()}. */
    UPDATED,
    /** Growth stopped for {@link DetectionConfig#resolveAfter()} or every growing instance is gone. */
    RESOLVED
}
