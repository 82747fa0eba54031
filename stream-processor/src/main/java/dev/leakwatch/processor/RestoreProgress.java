package dev.leakwatch.processor;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far this instance is in restoring its stores from their changelogs — after a lost state
 * directory or volume, an unclean stop, or a task moved here without a standby — which can take
 * many minutes for a large fleet, during which {@code /readyz} answers 503 and the stores do not
 * answer queries. Logs the start and end of each changelog partition that has records to restore
 * and, while any is restoring, a summary at most every {@link #LOG_EVERY_MS} ms; {@link
 * #remaining(String)} and {@link #restored(String)} feed the metrics {@code
 * leakwatch_store_restore_remaining_records} and {@code leakwatch_store_restored_records_total}.
 *
 * <p>Kafka Streams calls it from its restoring thread(s); it is thread-safe. Standby tasks'
 * updates are not restorations and are not counted.
 */
final class RestoreProgress implements StateRestoreListener {

  static final long LOG_EVERY_MS = 30_000;

  private static final Logger LOG = LoggerFactory.getLogger(RestoreProgress.class);

  /** One changelog partition being restored; offsets as Kafka Streams reports them. */
  private static final class Partition {
    final String store;
    final long startMs;
    final long endOffset;
    volatile long position;
    volatile long restored;

    Partition(String store, long startMs, long startOffset, long endOffset) {
      this.store = store;
      this.startMs = startMs;
      this.position = startOffset;
      this.endOffset = endOffset;
    }

    long remaining() {
      return Math.max(0, endOffset - position);
    }
  }

  private final Map<TopicPartition, Partition> restoring = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> restoredByStore = new ConcurrentHashMap<>();
  private final LongSupplier clock;
  private long lastSummaryMs;

  /** @param clock wall clock, ms: paces the summaries and times each partition's restoration */
  RestoreProgress(LongSupplier clock) {
    this.clock = clock;
  }

  /** Changelog records store {@code store} has left to restore on this instance; 0 when none restores. */
  long remaining(String store) {
    long sum = 0;
    for (Partition p : restoring.values()) {
      if (p.store.equals(store)) {
        sum += p.remaining();
      }
    }
    return sum;
  }

  /** Changelog records restored into store {@code store} on this instance since it started. */
  long restored(String store) {
    LongAdder n = restoredByStore.get(store);
    return n == null ? 0 : n.sum();
  }

  @Override
  public void onRestoreStart(TopicPartition changelog, String store, long startOffset, long endOffset) {
    long now = clock.getAsLong();
    Partition p = new Partition(store, now, startOffset, endOffset);
    restoring.put(changelog, p);
    if (p.remaining() > 0) { // every store partition of every task "restores" at start, most from nothing
      LOG.info("restoring store {} from {}: {} changelog records (offsets {} to {})", store, changelog,
          p.remaining(), startOffset, endOffset);
    }
    synchronized (this) {
      if (restoring.size() == 1) {
        lastSummaryMs = now; // a summary only once the restoration has lasted LOG_EVERY_MS
      }
    }
  }

  @Override
  public void onBatchRestored(TopicPartition changelog, String store, long batchEndOffset, long numRestored) {
    Partition p = restoring.get(changelog);
    if (p != null) {
      p.position = batchEndOffset + 1;
      p.restored += numRestored;
    }
    restoredByStore.computeIfAbsent(store, k -> new LongAdder()).add(numRestored);
    summarizeIfDue();
  }

  @Override
  public void onRestoreEnd(TopicPartition changelog, String store, long totalRestored) {
    Partition p = restoring.remove(changelog);
    if (totalRestored > 0) {
      long ms = p == null ? 0 : clock.getAsLong() - p.startMs;
      LOG.info("restored store {} from {}: {} records in {} s", store, changelog, totalRestored,
          String.format(Locale.ROOT, "%.1f", ms / 1000.0));
    }
  }

  @Override
  public void onRestoreSuspended(TopicPartition changelog, String store, long totalRestored) {
    // the task moved away (a rebalance) before it finished: no longer this instance's to restore
    restoring.remove(changelog);
    LOG.info("stopped restoring store {} from {} after {} records: its task moved to another instance", store,
        changelog, totalRestored);
  }

  private void summarizeIfDue() {
    String summary;
    synchronized (this) {
      long now = clock.getAsLong();
      if (now - lastSummaryMs < LOG_EVERY_MS || restoring.isEmpty()) {
        return;
      }
      lastSummaryMs = now;
      summary = summary();
    }
    LOG.info(summary);
  }

  /** E.g. "restoring state: 1250000 changelog records left in 3 partitions (instance-series 1000000, ...)". */
  String summary() {
    Map<String, Long> byStore = new TreeMap<>();
    long left = 0;
    int partitions = 0;
    for (Partition p : restoring.values()) {
      byStore.merge(p.store, p.remaining(), Long::sum);
      left += p.remaining();
      partitions++;
    }
    StringBuilder s = new StringBuilder("restoring state: ").append(left).append(" changelog records left in ")
        .append(partitions).append(partitions == 1 ? " partition (" : " partitions (");
    String sep = "";
    for (Map.Entry<String, Long> e : byStore.entrySet()) {
      s.append(sep).append(e.getKey()).append(' ').append(e.getValue());
      sep = ", ";
    }
    return s.append(")").toString();
  }
}
