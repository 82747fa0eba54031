package dev.leakwatch.pprof;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * An unmodifiable list over {@code items[from, from + size)} of an array that nobody writes to any
 * more: the decoder hands out slices of one shared array (every sample's stack) instead of giving
 * each sample an array and a wrapper of its own.
 */
final class ArrayView<E> extends AbstractList<E> implements RandomAccess {
  private final E[] items;
  private final int from;
  private final int size;

  ArrayView(E[] items) {
    this(items, 0, items.length);
  }

  ArrayView(E[] items, int from, int size) {
    Objects.checkFromIndexSize(from, size, items.length);
    this.items = items;
    this.from = from;
    this.size = size;
  }

  @Override
  public E get(int index) {
    return items[from + Objects.checkIndex(index, size)];
  }

  @Override
  public int size() {
    return size;
  }

  // List.copyOf and the collection constructors copy through toArray: one array copy, not an
  // iterator walk.
  @Override
  public Object[] toArray() {
    return Arrays.copyOfRange(items, from, from + size, Object[].class);
  }
}
