package dev.leakwatch.pprof;

import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * An unmodifiable list over an array the caller hands over and never touches again: one object
 * instead of the two of {@code unmodifiableList(asList(a))}, for the decoder's per-sample stacks.
 */
final class ArrayView<E> extends AbstractList<E> implements RandomAccess {
  private final E[] items;

  ArrayView(E[] items) {
    this.items = items;
  }

  @Override
  public E get(int index) {
    return items[index];
  }

  @Override
  public int size() {
    return items.length;
  }
}
