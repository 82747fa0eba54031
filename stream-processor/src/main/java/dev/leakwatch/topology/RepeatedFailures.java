package dev.leakwatch.topology;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Which occurrences of a failure get a log line, so that a bug every record triggers logs its stack
 * trace once, not once per record: the first of a kind is logged in full, the later ones as one
 * line with their count at most every {@link #EVERY}. Kinds are few and fixed by the code (a stage
 * and an exception class), so the map stays small. Every occurrence is still counted in the metrics
 * and dead-lettered by the caller.
 */
final class RepeatedFailures {
  static final Duration EVERY = Duration.ofMinutes(1);

  private final LongSupplier nanos;
  /** Per kind: occurrences not yet logged, and when the last line was logged. */
  private final Map<String, long[]> kinds = new HashMap<>();

  RepeatedFailures(LongSupplier nanos) {
    this.nanos = nanos;
  }

  /**
   * Records an occurrence of {@code kind}.
   *
   * @return -1 for the first (log it with its stack trace), a count of occurrences for a summary
   *     line when {@link #EVERY} has passed since the last line of the kind, else 0 (log nothing)
   */
  synchronized long occurred(String kind) {
    long now = nanos.getAsLong();
    long[] k = kinds.get(kind);
    if (k == null) {
      kinds.put(kind, new long[] {0, now});
      return -1;
    }
    k[0]++;
    if (now - k[1] < EVERY.toNanos()) {
      return 0;
    }
    long count = k[0];
    k[0] = 0;
    k[1] = now;
    return count;
  }
}
