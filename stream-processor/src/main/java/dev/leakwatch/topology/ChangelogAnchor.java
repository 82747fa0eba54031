package dev.leakwatch.topology;

import java.util.List;
import java.util.function.LongConsumer;

/**
 * Keeps a committed changelog offset on stores that a task may have nothing to write into.
 *
 * <p>Why: under exactly_once_v2, Kafka Streams starts a task by looking up each logged store's
 * committed changelog offset; when one store has none while the task's state directory holds data
 * (another store's), it cannot tell committed from uncommitted data, treats the task as corrupted,
 * wipes all of its local state and restores every store from the changelogs. A store written only
 * now and then has no offset in many tasks — {@code suspect-history} is written only when a suspect
 * event is emitted, which most services never have; the windows only by heap and goroutine
 * profiles — so every clean restart of a processor (a rolling upgrade, a rescheduled pod) replayed
 * those tasks' windows, up to the whole retention, from the changelogs.
 *
 * <p>What: at the first record a processor instance handles (a task's processors are created anew
 * whenever the task starts) and again once record time has moved on by {@code intervalMs}, each of
 * its anchors writes under {@link #KEY}, a key no service or instance name can be (names are 1 to
 * 255 characters): into a key-value store a tombstone, which stores nothing yet is a changelog
 * record, so the store has a committed offset from the next commit on; into a window store
 * {@link #WINDOW_VALUE}, because a window store keeps its committed offset only once it holds a
 * segment (a tombstone alone left {@code suspect-history} without one: {@code CleanRestartTest}),
 * which readers that scan every key skip. Repeating it keeps that record inside the changelog's
 * retention (a window store's changelog drops records after the window retention plus a day; an
 * offset before the log start would corrupt the task again) and the window entry inside the store's.
 *
 * <p>Not thread-safe: one per processor instance, like the processor.
 */
public final class ChangelogAnchor {

  /** The reserved key: the empty string, never a valid service or instance name. */
  static final String KEY = "";

  /** What is written under {@link #KEY} into window stores: empty, which no real entry is. */
  static final byte[] WINDOW_VALUE = new byte[0];

  /** Whether a store's key is the anchor's, which holds no data. */
  public static boolean isAnchor(String key) {
    return KEY.equals(key);
  }

  private final List<LongConsumer> writes;
  private final long intervalMs;
  private long lastMs;
  private boolean written;

  /**
   * @param intervalMs record time between two rounds of writes, positive; at most half of the
   *     shortest changelog retention of the stores
   * @param writes one write per store, given the record time, e.g. {@code t -> store.put(KEY, null)}
   */
  ChangelogAnchor(long intervalMs, List<LongConsumer> writes) {
    if (intervalMs <= 0) {
      throw new IllegalArgumentException("intervalMs must be positive, got " + intervalMs);
    }
    this.intervalMs = intervalMs;
    this.writes = List.copyOf(writes);
  }

  /** Called with each record's time before the processor handles it: writes the anchors when due. */
  void onRecord(long recordMs) {
    if (written && recordMs - lastMs < intervalMs) {
      return;
    }
    for (LongConsumer w : writes) {
      w.accept(recordMs);
    }
    written = true;
    lastMs = recordMs;
  }
}
