package dev.leakwatch.topology.window;

import dev.leakwatch.detect.state.StateReader;
import dev.leakwatch.detect.state.StateWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The expiry index of one service's stack dictionary: for each stack that has a dictionary entry,
 * the start of the last service window that held it. Without it the dictionary would only grow:
 * every deploy that moves a line number mints new stack ids, and nothing else ever deletes one.
 *
 * <p>Kept in {@code stack-last-seen} under the service and brought up to date by a sweep (see
 * {@link #sweep}) at most once per sweep period of stream time, when the service's first capture
 * of a new window arrives, so its cost is one read and one write of this value per service and
 * period, not per profile.
 *
 * <p>Format, version 1: {@code 'L' 'S' 1}, {@code indexedThroughMs} (zigzag varint: windows
 * starting before it are folded in), stack count (varint), then per stack its id (8 bytes,
 * big-endian) and last-seen window start (zigzag varint, ms).
 */
public final class StackLastSeen {

  /**
   * Most stacks one service's dictionary keeps; beyond it the longest unseen go first. Bounds this
   * value (about 14 bytes a stack, well under a changelog record's default 1 MB limit) and with it
   * the dictionary of a service.
   */
  public static final int MAX_STACKS = 50_000;

  private long indexedThroughMs;
  private final Map<Long, Long> lastSeen;

  private StackLastSeen(long indexedThroughMs, Map<Long, Long> lastSeen) {
    this.indexedThroughMs = indexedThroughMs;
    this.lastSeen = lastSeen;
  }

  /** An index that has folded in no window yet: windows starting at {@code startMs} or later are to come. */
  public static StackLastSeen startingAt(long startMs) {
    return new StackLastSeen(startMs, new HashMap<>());
  }

  /** Windows starting before this time (ms) have been folded in. */
  public long indexedThroughMs() {
    return indexedThroughMs;
  }

  /** The stacks known to the index and their last-seen window starts (ms); read-only. */
  public Map<Long, Long> lastSeen() {
    return Collections.unmodifiableMap(lastSeen);
  }

  /** Records that the window starting at {@code windowStartMs} held {@code stackId}. */
  public void seen(long stackId, long windowStartMs) {
    lastSeen.merge(stackId, windowStartMs, Math::max);
  }

  /**
   * Reconciles the index with the dictionary and returns the stacks to delete from it.
   *
   * <p>Stacks in {@code dictionary} the index does not know count as seen at the previous
   * {@link #indexedThroughMs()}: they were written since the previous sweep (which reconciled the
   * index with the dictionary), by captures of windows starting then or later, and a window that
   * held them has already raised their time when it was folded in. (An index made by
   * {@link #startingAt} counts the entries it finds as seen at its start.) Stacks the
   * index knows but the dictionary does not are forgotten. Then every stack last seen before
   * {@code cutoffMs} expires, and if more than {@link #MAX_STACKS} remain, the longest unseen
   * expire too. Afterwards {@code indexedThroughMs} is {@code nowMs}.
   *
   * @param dictionary the ids of the service's dictionary entries
   * @param nowMs start of the window whose arrival triggered the sweep
   * @param cutoffMs stacks last seen in windows starting before this expire
   * @return the expired ids, which the index no longer holds
   */
  public List<Long> sweep(Set<Long> dictionary, long nowMs, long cutoffMs) {
    lastSeen.keySet().retainAll(dictionary);
    for (Long id : dictionary) {
      lastSeen.putIfAbsent(id, indexedThroughMs);
    }
    List<Long> expired = new ArrayList<>();
    lastSeen.entrySet().removeIf(e -> {
      if (e.getValue() < cutoffMs) {
        expired.add(e.getKey());
        return true;
      }
      return false;
    });
    int excess = lastSeen.size() - MAX_STACKS;
    if (excess > 0) {
      List<Long> oldestFirst = lastSeen.entrySet().stream()
          .sorted(Map.Entry.<Long, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
          .limit(excess).map(Map.Entry::getKey).toList();
      oldestFirst.forEach(lastSeen::remove);
      expired.addAll(oldestFirst);
    }
    indexedThroughMs = Math.max(indexedThroughMs, nowMs);
    return expired;
  }

  /** The serialized form. */
  public byte[] toBytes() {
    StateWriter w = new StateWriter().writeByte('L').writeByte('S').writeByte(1);
    w.writeSignedVarLong(indexedThroughMs).writeVarInt(lastSeen.size());
    lastSeen.entrySet().stream().sorted(Map.Entry.comparingByKey(Comparator.naturalOrder()))
        .forEach(e -> w.writeFixed64(e.getKey()).writeSignedVarLong(e.getValue()));
    return w.toByteArray();
  }

  /**
   * The {@link #indexedThroughMs()} of a serialized index, reading its header only.
   *
   * @throws dev.leakwatch.detect.StateFormatException when the bytes are not a last-seen index
   */
  public static long indexedThroughMs(byte[] bytes) {
    StateReader r = new StateReader(bytes);
    r.expectHeader('L', 'S', 1, 1, "stack last-seen index");
    return r.readSignedVarLong("indexedThroughMs");
  }

  /** @throws dev.leakwatch.detect.StateFormatException when the bytes are not a last-seen index */
  public static StackLastSeen fromBytes(byte[] bytes) {
    StateReader r = new StateReader(bytes);
    r.expectHeader('L', 'S', 1, 1, "stack last-seen index");
    long through = r.readSignedVarLong("indexedThroughMs");
    int n = r.readCount("stack count", MAX_STACKS);
    Map<Long, Long> seen = new HashMap<>(n * 2);
    for (int i = 0; i < n; i++) {
      seen.put(r.readFixed64("stack id"), r.readSignedVarLong("last seen"));
    }
    r.expectEnd("stack last-seen index");
    return new StackLastSeen(through, seen);
  }
}
