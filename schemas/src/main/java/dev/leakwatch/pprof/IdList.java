package dev.leakwatch.pprof;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A growable list of location ids below 2^16, two little-endian bytes each in a byte array: the
 * decoder's first pass writes a Go profile's stacks (thousands of ids of one or two bytes on the
 * wire) four at a time with one 64-bit store, and the samples' stacks are an exact copy of it. Ids
 * are read back with {@link #get}.
 */
final class IdList {
  /** The largest id that fits. */
  static final int MAX_ID = 0xffff;
  private static final VarHandle CHAR_LE =
      MethodHandles.byteArrayViewVarHandle(char[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private byte[] bytes;
  private int size;

  IdList(int initialCapacity) {
    bytes = new byte[2 * Math.max(4, initialCapacity)];
  }

  /** Id {@code k} of an array of this list's layout. */
  static int get(byte[] ids, int k) {
    return (char) CHAR_LE.get(ids, k << 1);
  }

  /** Writes ids {@code k .. k + 3}: the four 16-bit lanes of {@code lanes}, lowest first. */
  static void put4(byte[] ids, int k, long lanes) {
    LONG_LE.set(ids, k << 1, lanes);
  }

  /** Writes id {@code k}, at most {@link #MAX_ID}. */
  static void put(byte[] ids, int k, int id) {
    CHAR_LE.set(ids, k << 1, (char) id);
  }

  /** Adds an id of at most {@link #MAX_ID}. */
  void add(int id) {
    put(reserve(1), size++, id);
  }

  /**
   * Makes room for {@code n} more ids and returns the backing array, for a caller that writes them
   * directly from {@code size()} on and then calls {@link #setSize}.
   */
  byte[] reserve(int n) {
    if (bytes.length / 2 - size < n) {
      bytes = Arrays.copyOf(bytes, 2 * Math.max(bytes.length, size + n));
    }
    return bytes;
  }

  /** Sets the size after ids were written into the array from {@link #reserve}. */
  void setSize(int n) {
    size = n;
  }

  /** The backing array, valid for ids {@code [0, size())}. */
  byte[] array() {
    return bytes;
  }

  /** A copy holding exactly the ids {@code [0, size())}. */
  byte[] copy() {
    return Arrays.copyOf(bytes, 2 * size);
  }

  /** Empties the list, keeping its capacity. */
  void clear() {
    size = 0;
  }

  int size() {
    return size;
  }
}
