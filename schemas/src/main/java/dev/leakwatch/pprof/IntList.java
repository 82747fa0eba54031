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
