package dev.leakwatch.pprof;

/**
 * The labels of the sample being read, as on the wire (string indexes not yet resolved), with the
 * offset of each for error messages. Reused from sample to sample.
 */
final class LabelScratch {
  final LongList key = new LongList(4);
  final LongList str = new LongList(4);
  final LongList num = new LongList(4);
  final LongList unit = new LongList(4);
  final IntList offset = new IntList(4);

  void clear() {
    key.clear();
    str.clear();
    num.clear();
    unit.clear();
    offset.clear();
  }

  int size() {
    return key.size();
  }

  void add(int off, long keyIndex, long strIndex, long number, long unitIndex) {
    key.add(keyIndex);
    str.add(strIndex);
    num.add(number);
    unit.add(unitIndex);
    offset.add(off);
  }
}
