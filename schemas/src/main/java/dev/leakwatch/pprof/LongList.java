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

  /**
   * Makes room for {@code n} more elements and returns the backing array, for a caller that writes
   * them directly from {@code size()} on and then calls {@link #setSize}.
   */
  long[] reserve(int n) {
    if (items.length - size < n) {
      items = Arrays.copyOf(items, Math.max(items.length * 2, size + n));
    }
    return items;
  }

  /** Sets the size after elements were written into the array from {@link #reserve}. */
  void setSize(int n) {
    size = n;
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

  /**
   * The backing array, valid in {@code [0, size())}: handed over by a caller that adds nothing more
   * (the decoder keeps all samples' values in one array this way, without a final copy).
   */
  long[] array() {
    return items;
  }

}
