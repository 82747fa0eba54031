package dev.leakwatch.logging;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Which occurrences of a failure get a log line, so that a failure every record (or every send)
 * hits logs once in full, not once per record: the first of a kind is logged in full, the later
 * ones as one line with their count at most every {@link #EVERY}, at the next occurrence after it;
 * what is still counted when occurrences stop is handed out by {@link #drain} (the owner's close),
 * so every occurrence reaches the log in some line. Kinds are few and fixed by the caller's code
 * (a stage and an exception class, a refusal's reason), so the map stays small. Every occurrence is
 * still counted in the metrics by the caller. Used by the processor's stage failures and rules
 * checks, and the agent's refused sends and scheduled tasks.
 */
public final class RepeatedFailures {
  public static final Duration EVERY = Duration.ofMinutes(1);

  private final LongSupplier nanos;
  /** Per kind: occurrences not yet logged, and when the last line was logged. */
  private final Map<String, long[]> kinds = new HashMap<>();

  public RepeatedFailures(LongSupplier nanos) {
    this.nanos = nanos;
  }

  /**
   * The kind of a bug's exception: its class and the frame that threw it, so that one bug thrown
   * again and again is one kind, and a different bug of the same class another.
   */
  public static String kind(Throwable e) {
    StackTraceElement[] at = e.getStackTrace();
    return e.getClass().getName() + (at.length > 0 ? " at " + at[0] : "");
  }

  /**
   * Records an occurrence of {@code kind}.
   *
   * @return -1 for the first (log it in full), a count of occurrences for a summary line when
   *     {@link #EVERY} has passed since the last line of the kind, else 0 (log nothing)
   */
  public synchronized long occurred(String kind) {
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

  /**
   * The occurrences counted but not yet logged, by kind (kinds with none left out), now taken as
   * logged: for the caller's summary lines when it closes, since failures that stopped within
   * {@link #EVERY} of the last line would otherwise never reach the log.
   */
  public synchronized Map<String, Long> drain() {
    Map<String, Long> left = new LinkedHashMap<>();
    long now = nanos.getAsLong();
    kinds.forEach((kind, k) -> {
      if (k[0] > 0) {
        left.put(kind, k[0]);
        k[0] = 0;
        k[1] = now;
      }
    });
    return left;
  }
}
