package dev.leakwatch.pprof;

import java.util.AbstractList;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * An unmodifiable list whose element {@code i} is {@code items[index[from + i]]}, over arrays that
 * nobody writes to any more: a decoded sample's stack is a slice of the location ids of all samples,
 * looked up in the location table by id, so it needs no array of its own.
 */
final class IndexedView<E> extends AbstractList<E> implements RandomAccess {
  private final E[] items;
  private final byte[] index;
  private final int from;
  private final int size;

  /** @param index ids in {@link IdList}'s layout */
  IndexedView(E[] items, byte[] index, int from, int size) {
    Objects.checkFromIndexSize(from, size, index.length / 2);
    this.items = items;
    this.index = index;
    this.from = from;
    this.size = size;
  }

  @Override
  public E get(int i) {
    return items[IdList.get(index, from + Objects.checkIndex(i, size))];
  }

  @Override
  public int size() {
    return size;
  }
}
