package dev.leakwatch.pprof;

import java.util.Arrays;

/** A growable list of primitive ints, so the decoder's raw tables avoid boxing. */
final class IntList {
  private int[] items;
  private int size;

  IntList(int initialCapacity) {
    items = new int[Math.max(4, initialCapacity)];
  }

  void add(int v) {
    if (size == items.length) {
      items = Arrays.copyOf(items, size * 2);
    }
    items[size++] = v;
  }

  /**
   * Makes room for {@code n} more elements and returns the backing array, for a caller that writes
   * them directly from {@code size()} on and then calls {@link #setSize}.
   */
  int[] reserve(int n) {
    if (items.length - size < n) {
      items = Arrays.copyOf(items, Math.max(items.length * 2, size + n));
    }
    return items;
  }

  /** Sets the size after elements were written into the array from {@link #reserve}. */
  void setSize(int n) {
    size = n;
  }

  /** The backing array, valid in {@code [0, size())}, for a caller that adds nothing more. */
  int[] array() {
    return items;
  }

  /** Empties the list, keeping its capacity. */
  void clear() {
    size = 0;
  }

  int get(int i) {
    return items[i];
  }

  int size() {
    return size;
  }
}
