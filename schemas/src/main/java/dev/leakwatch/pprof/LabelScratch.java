package dev.leakwatch.pprof;

import java.util.Arrays;

/**
 * The labels of the sample being read, as on the wire (string indexes not yet resolved), with the
 * offset of each for error messages. Reused from sample to sample.
 */
final class LabelScratch {
  long[] key = new long[4];
  long[] str = new long[4];
  long[] num = new long[4];
  long[] unit = new long[4];
  int[] offset = new int[4];
  private int size;

  void clear() {
    size = 0;
  }

  int size() {
    return size;
  }

  void add(int off, long keyIndex, long strIndex, long number, long unitIndex) {
    if (size == key.length) {
      int n = size * 2;
      key = Arrays.copyOf(key, n);
      str = Arrays.copyOf(str, n);
      num = Arrays.copyOf(num, n);
      unit = Arrays.copyOf(unit, n);
      offset = Arrays.copyOf(offset, n);
    }
    key[size] = keyIndex;
    str[size] = strIndex;
    num[size] = number;
    unit[size] = unitIndex;
    offset[size] = off;
    size++;
  }
}
