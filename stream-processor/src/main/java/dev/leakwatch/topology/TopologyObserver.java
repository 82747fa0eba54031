package dev.leakwatch.topology;

/**
 * Operational hooks of the topology, for metrics. Called on stream threads for every input
 * record, so implementations must be cheap, thread-safe and never throw. Under exactly-once a
 * record whose transaction aborts is processed (and reported) again: counts are of attempts.
 */
public interface TopologyObserver {

  /** Observes nothing. */
  TopologyObserver NONE = new TopologyObserver() {};

  /**
   * A profile decoded and validated.
   *
   * @param profileType the envelope's type in lower case ({@code heap}, {@code allocs}, ...)
   * @param decodeNanos wall-clock time spent decoding and validating it, nanoseconds
   */
  default void profileDecoded(String profileType, long decodeNanos) {}

  /**
   * An input record went to the dead-letter topic.
   *
   * @param stage the check that rejected it ({@code size}, {@code avro}, {@code validation}, {@code pprof})
   * @param decodeNanos wall-clock time spent until it was rejected, nanoseconds
   */
  default void profileRejected(String stage, long decodeNanos) {}

  /**
   * A stage threw an exception no check foresaw (a bug) and processing went on, see {@link
   * ProcessingFailureHandler}.
   *
   * @param node the topology node that threw (one of {@link TopologyNames})
   * @param deadLettered true when a record was dead-lettered (stage {@code processing}), false for a
   *     punctuation, which has no record
   */
  default void processingFailed(String node, boolean deadLettered) {}

  /**
   * Suspects of a service dropped to keep its lifecycle state within its bound (see {@link
   * dev.leakwatch.detect.lifecycle.SuspectTracker#store}).
   *
   * @param ended open suspects whose episode a RESOLVED event ended
   * @param unannounced suspects no event had named (candidates, or opened by the same report)
   */
  default void suspectsDropped(int ended, int unannounced) {}

  /**
   * Growing sites of one report that could not become suspects: their service was at its most
   * suspects, or its lifecycle state had no room for them. Each waits, and counts again at every
   * report that lists it.
   */
  default void sitesRefused(int count) {}
}
