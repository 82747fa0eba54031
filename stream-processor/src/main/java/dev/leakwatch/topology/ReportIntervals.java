package dev.leakwatch.topology;

import java.util.Arrays;

/**
 * How far apart an instance's reports have lately reached one lifecycle task, by the processor's
 * clock: the median of the last {@value #KEPT} intervals between two rounds of reports of the same
 * instance (each bringing a newer capture; the reports of one round, an agent's profile kinds or a
 * backlog, arrive within a third of a tick: {@link SilenceClock#arrived}), the task's instances taken
 * together.
 *
 * <p>Why per instance, not between any two records of the task: records come in bursts (one poll, one
 * agent scraping several instances at once), so the gaps between the task's records are mostly
 * nothing however sparsely it is fed; and a busy task's few long gaps are its outages. An instance's
 * interval is its scrape interval in both cases, and an outage is one interval per instance, pushed
 * out by the next {@value #KEPT} reports. Not thread-safe (one per task).
 */
final class ReportIntervals {

  static final int KEPT = 7;
  /** Fewer intervals than this tell nothing yet. */
  static final int ENOUGH = 3;

  private final long[] recent = new long[KEPT];
  private int count;
  private int next;
  // read at every record, changed once per round of an instance: kept, not sorted out at each read
  private long typical;

  /** An interval of {@code ms} (not negative) between two reports of one instance. */
  void add(long ms) {
    recent[next] = ms;
    next = (next + 1) % KEPT;
    count = Math.min(KEPT, count + 1);
    if (count >= ENOUGH) {
      long[] sorted = Arrays.copyOf(recent, count);
      Arrays.sort(sorted);
      typical = sorted[count / 2];
    }
  }

  /** The median of the intervals kept (the upper one of an even count); 0 until {@value #ENOUGH} were seen. */
  long typicalMs() {
    return typical;
  }
}
