package dev.leakwatch.pprof;

import java.util.Arrays;

/** A growable list of primitive longs, so the decoder's raw tables avoid boxing. */
final class LongList {
  private long[] items;
  private int size;

  LongList(int initialCapacity) {
    items = new long[Math.max(4, initialCapacity)];
  }

  void add(long v) {
    if (size == items.length) {
      items = Arrays.copyOf(items, size * 2);
    }
    items[size++] = v;
  }

  /** Empties the list, keeping its capacity (for scratch lists reused per record). */
  void clear() {
    size = 0;
  }

  long get(int i) {
    return items[i];
  }

  int size() {
    return size;
  }

  /** A copy of {@code [from, from + count)}. */
  long[] copyRange(int from, int count) {
    return Arrays.copyOfRange(items, from, from + count);
  }
}
