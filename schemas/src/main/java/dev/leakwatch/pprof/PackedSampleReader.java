package dev.leakwatch.pprof;

import static dev.leakwatch.pprof.WordVarint.HIGH_BITS;
import static dev.leakwatch.pprof.WordVarint.word;

/**
 * Reads one sample record in the exact layout of Go's heap and allocs samples, the bulk of a
 * typical profile: packed values (tag {@code 0x12}), then packed location ids ({@code 0x0a}) of one
 * or two bytes each, then numeric labels ({@code 0x1a}: key {@code 0x08} of one byte, num {@code
 * 0x18}, optionally unit {@code 0x20} of one byte), every length a single byte. With the layout
 * fixed, no field is looked up by its tag, and values and ids go straight into {@link GoSamples}'
 * arrays, with their capacity reserved once per field.
 *
 * <p>Like {@link GoLayoutReader}, which reads every layout Go writes, it decides nothing about
 * validity and never throws: at the first thing it does not expect it returns false with nothing
 * added, and the caller hands the record to {@code GoLayoutReader}; what it accepts decodes to
 * exactly what that reader would produce.
 */
final class PackedSampleReader {
  private static final int VALUES = 2 << 3 | WireReader.LEN;
  private static final int IDS = 1 << 3 | WireReader.LEN;
  private static final int LABEL = 3 << 3 | WireReader.LEN;
  private static final int KEY = 1 << 3 | WireReader.VARINT;
  private static final int NUM = 3 << 3 | WireReader.VARINT;
  private static final int UNIT = 4 << 3 | WireReader.VARINT;
  // varints read here take at most 9 bytes (values below 2^63), and may run that far past the end
  // of their field before it is checked
  private static final int MAX_VARINT = 9;

  private static final long ONES = 0x0101010101010101L;
  // the high bits of a word of four two-byte varints
  private static final long PAIRS = 0x0080008000800080L;

  private final byte[] buf;
  // records end at or before this index, so that reads running past a field stay in the buffer
  private final int readLimit;
  // the value of the last varint read by varint(), which returns where it ended
  private long value;

  /** Reads records in {@code buf}, at absolute indexes. */
  PackedSampleReader(byte[] buf) {
    this.buf = buf;
    this.readLimit = buf.length - MAX_VARINT - 1;
  }

  /**
   * Reads the sample content at absolute indexes {@code [from, to)} of the buffer into {@code sink}
   * and ends the sample there; false, with nothing added, if it is not laid out as this reader
   * expects.
   *
   * @param base the index of the protobuf's first byte: labels' offsets for error messages are
   *     relative to it
   */
  boolean sample(int from, int to, int base, GoSamples sink) {
    byte[] b = buf;
    if (to > readLimit || to - from < 4 || b[from] != VALUES) {
      return false;
    }
    int valuesEnd = from + 2 + b[from + 1];
    if (valuesEnd < from + 2 || valuesEnd > to - 2 || b[valuesEnd] != IDS) {
      return false;
    }
    int valueCount = values(from + 2, valuesEnd, sink.values);
    int idsEnd = valuesEnd + 2 + b[valuesEnd + 1];
    if (valueCount < 0 || idsEnd < valuesEnd + 2 || idsEnd > to) {
      return false;
    }
    int idCount = ids(valuesEnd + 2, idsEnd, sink);
    if (idCount < 0) {
      return false;
    }
    int labelsBefore = sink.labelCount;
    int labelsLeft = sink.maxLabels();
    for (int p = idsEnd; p < to; labelsLeft--) {
      p = labelsLeft > 0 ? label(p, to, base, sink) : -1;
      if (p < 0) {
        sink.dropLabelsFrom(labelsBefore);
        return false;
      }
    }
    sink.values.setSize(valueCount);
    sink.ids.setSize(idCount);
    sink.endSample();
    return true;
  }

  /**
   * Packed values at {@code [p, end)} into {@code sink}'s array past its size, which the caller sets
   * to the count returned once the whole sample is read; -1 if a varint runs past the end or takes
   * more than nine bytes.
   */
  private int values(int p, int end, LongList sink) {
    byte[] b = buf;
    long[] values = sink.reserve(end - p);
    int n = sink.size();
    while (p < end) {
      long v = b[p];
      if (v >= 0) {
        p++;
      } else {
        p = varint(p);
        v = value;
      }
      values[n++] = v;
    }
    return p == end ? n : -1;
  }

  /**
   * Packed location ids at {@code [p, end)} into {@code sink}'s id array past its size, which the
   * caller sets to the count returned once the whole sample is read; -1 if an id takes more than
   * two bytes. Notes the ids' range right away: should the record be read again by {@link
   * GoLayoutReader}, it notes the same ids.
   */
  private int ids(int p, int end, GoSamples sink) {
    byte[] b = buf;
    // the last word may be written whole past the end
    byte[] ids = sink.ids.reserve(end - p + Long.BYTES);
    int n = sink.ids.size();
    // No min and max of every id (as stacks go up and down, they compile to branches that
    // mispredict), but: negative if an id is 0; the OR of all ids, whose low 7 bits bound the
    // one-byte ids (at most 127: Go's tables of more than 127 locations are what this path is for,
    // a smaller one costs a scan in GoSamples.idsWithin); the largest two-byte id.
    int zero = 0;
    int small = 0;
    int max = 0;
    // eight one-byte ids at once while the next eight bytes are all in the field and all < 0x80
    long zeros = 0;
    long words = 0;
    while (p < end) {
      int left = end - p;
      long w = word(b, p);
      if (left < Long.BYTES) {
        // the last few: bytes past the field read as id 1, which changes no bound, and are
        // written past the ids but not counted
        long keep = -1L >>> -(left << 3);
        w = w & keep | ONES & ~keep;
      }
      long high = w & HIGH_BITS;
      if (high == 0) {
        spread(w, ids, n);
        zeros |= (w - ONES) & ~w;
        words |= w;
        int taken = Math.min(left, Long.BYTES);
        n += taken;
        p += taken;
        continue;
      }
      if (left >= Long.BYTES) {
        if (high == PAIRS) {
          // four two-byte ids, Go's 128..16383: each 16-bit lane is low 7 bits, then the rest
          long v = w & 0x007f007f007f007fL | (w & 0x7f007f007f007f00L) >>> 1;
          int a = (int) v & 0xffff;
          int c = (int) (v >>> 16) & 0xffff;
          int d = (int) (v >>> 32) & 0xffff;
          int e = (int) (v >>> 48);
          IdList.put4(ids, n, v);
          max = Math.max(max, Math.max(Math.max(a, c), Math.max(d, e)));
          zero |= (a - 1) | (c - 1) | (d - 1) | (e - 1);
          n += 4;
          p += Long.BYTES;
          continue;
        }
      }
      int id = b[p++];
      if (id < 0) {
        // two bytes: Go's ids 128..16383 (reading b[end] is harmless: p is checked after)
        int hi = b[p++];
        if (hi < 0 || p > end) {
          return -1;
        }
        id = id & 0x7f | hi << 7;
        max = Math.max(max, id);
      }
      small |= id;
      zero |= id - 1;
      IdList.put(ids, n++, id);
    }
    if ((zeros & HIGH_BITS) != 0) {
      zero = -1;
    }
    words |= words >>> 32;
    words |= words >>> 16;
    words |= words >>> 8;
    small |= (int) words;
    sink.idRange(zero < 0 ? 0 : 1, Math.max(max, small & 0x7f));
    return n;
  }

  /** The eight bytes of {@code w} as ids {@code at .. at + 7} of {@code out}. */
  private static void spread(long w, byte[] out, int at) {
    IdList.put4(out, at, lanes(w & 0xffffffffL));
    IdList.put4(out, at + 4, lanes(w >>> 32));
  }

  /** The four bytes of {@code x} (its low half) each in a 16-bit lane. */
  private static long lanes(long x) {
    x = (x | x << 16) & 0x0000ffff0000ffffL;
    return (x | x << 8) & 0x00ff00ff00ff00ffL;
  }

  /**
   * The numeric label at {@code p} (before {@code to}) into {@code sink}; returns where it ends, or
   * -1 if it is laid out otherwise.
   */
  private int label(int p, int to, int base, GoSamples sink) {
    byte[] b = buf;
    int end = p + 2 + b[p + 1];
    if (b[p] != LABEL || end < p + 5 || end > to || b[p + 2] != KEY || b[p + 3] < 0
        || b[p + 4] != NUM) {
      return -1;
    }
    int q = p + 5;
    long num = b[q];
    if (num >= 0) {
      q++;
    } else {
      q = varint(q);
      num = value;
    }
    int unit = 0;
    if (q < end && b[q] == UNIT && b[q + 1] >= 0) {
      unit = b[q + 1];
      q += 2;
    }
    if (q != end) {
      return -1;
    }
    sink.addLabel(p - base, b[p + 3], 0, num, unit);
    return end;
  }

  /**
   * Reads the varint of two to nine bytes at {@code p} into {@link #value}; returns where it ends,
   * or {@code Integer.MAX_VALUE} (past every field's end) if it takes more bytes.
   */
  private int varint(int p) {
    long w = word(buf, p);
    int bits = WordVarint.bits(w);
    if (bits > Long.SIZE) {
      return varint9(p);
    }
    value = WordVarint.value(w, bits);
    return p + (bits >>> 3);
  }

  /** {@link #varint} for one of nine bytes or more. */
  private int varint9(int p) {
    byte[] b = buf;
    long v = b[p++] & 0x7f;
    for (int shift = 7; shift < 7 * MAX_VARINT; shift += 7) {
      long x = b[p++];
      v |= (x & 0x7f) << shift;
      if (x >= 0) {
        value = v;
        return p;
      }
    }
    return Integer.MAX_VALUE;
  }
}
