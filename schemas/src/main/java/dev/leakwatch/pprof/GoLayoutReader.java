package dev.leakwatch.pprof;

/**
 * Reads the records that dominate a profile (samples, locations, functions) when they are laid out
 * the way Go's runtime writes them, straight from the bytes and without the general reader's
 * per-field bookkeeping: one-byte tags, varint fields, location ids (packed, or unpacked when there
 * are one or two) that fit an int, values, labels, lines and functions made of varint fields only.
 * Samples go into flat {@link GoSamples}, unresolved (a Go heap sample's exact layout is read by
 * {@link PackedSampleReader} first); locations into the raw tables; functions to the caller.
 *
 * <p>It decides nothing about validity: at the first thing it does not expect (another layout, an
 * unknown field, an id or string index beyond an int, a malformed or overlong varint, one label or
 * line more than the limit, a field longer than its record) it returns false, and the caller reads
 * the record (for samples: every sample) again with {@link WireReader}, which reports problems
 * exactly. So it never throws, and what it accepts decodes to exactly what the general reader
 * would produce.
 */
final class GoLayoutReader {
  // a longer packed field goes to the general reader, which reserves memory as it proves data
  private static final int MAX_PACKED_BYTES = 4096;
  private static final int UNPACKED_ID = 1 << 3 | WireReader.VARINT;
  private static final int UNPACKED_VALUE = 2 << 3 | WireReader.VARINT;

  private final byte[] buf;
  private final int base;
  // a word (WordVarint) can be read at every index up to here
  private final int wordLimit;
  // the value of the last varint read by varint(), which returns where it ended: the position
  // stays in a register on the loop's critical path, the value goes through memory off it
  private long value;

  /** Reads the protobuf that starts at {@code buf[base]}. */
  GoLayoutReader(byte[] buf, int base) {
    this.buf = buf;
    this.base = base;
    this.wordLimit = buf.length - Long.BYTES;
  }

  /**
   * Reads the sample content at protobuf offsets {@code [from, to)} into {@code sink}'s flat arrays
   * (ids not resolved: Go writes samples before locations) and ends the sample there; false if the
   * caller must abandon {@code sink} and read every sample with the general reader.
   */
  boolean sample(int from, int to, GoSamples sink) {
    byte[] b = buf;
    int p = base + from;
    int end = base + to;
    while (p < end) {
      int tagAt = p;
      int tag = b[p++];
      if (tag == UNPACKED_ID || tag == UNPACKED_VALUE) {
        // Go writes a repeated field of one or two elements unpacked (a goroutine profile's
        // single value, a short stack)
        p = varint(p, end);
        if (p < 0) {
          return false;
        }
        if (tag == UNPACKED_VALUE) {
          sink.values.add(value);
        } else if (value < 0 || value > IdList.MAX_ID) {
          return false;
        } else {
          sink.addId((int) value);
        }
        continue;
      }
      if (p == end) {
        return false;
      }
      int len = b[p++];
      if (len < 0) {
        int hi = p < end ? b[p++] : -1;
        if (hi < 0) {
          return false;
        }
        len = (len & 0x7f) | hi << 7;
      }
      if (len > end - p || len > MAX_PACKED_BYTES) {
        return false;
      }
      int fieldEnd = p + len;
      boolean read = switch (tag) {
        case 0x0a -> ids(p, fieldEnd, sink);
        case 0x12 -> varints(p, fieldEnd, sink.values);
        case 0x1a -> label(tagAt, p, fieldEnd, sink);
        default -> false;
      };
      if (!read) {
        return false;
      }
      p = fieldEnd;
    }
    sink.endSample();
    return true;
  }

  /** Packed location ids, kept as they are if each is at most {@link IdList#MAX_ID}. */
  private boolean ids(int p, int e, GoSamples sink) {
    byte[] out = sink.ids.reserve(e - p);
    int n = sink.ids.size();
    int min = Integer.MAX_VALUE;
    int max = 0;
    while (p < e) {
      int id = buf[p++];
      if (id < 0) {
        int hi = p < e ? buf[p] : -1;
        if (hi >= 0) {
          // two bytes: Go's ids 128..16383
          p++;
          id = (id & 0x7f) | hi << 7;
        } else {
          p = varint(p - 1, e);
          if (p < 0 || value < 0 || value > IdList.MAX_ID) {
            return false;
          }
          id = (int) value;
        }
      }
      IdList.put(out, n++, id);
      min = Math.min(min, id);
      max = Math.max(max, id);
    }
    sink.ids.setSize(n);
    sink.idRange(min, max);
    return true;
  }

  private boolean varints(int p, int e, LongList sink) {
    long[] out = sink.reserve(e - p);
    int n = sink.size();
    while (p < e) {
      int q = varint(p, e);
      if (q < 0) {
        return false;
      }
      p = q;
      long v = value;
      out[n++] = v;
    }
    sink.setSize(n);
    return true;
  }

  private boolean label(int tagAt, int p, int e, GoSamples sink) {
    if (sink.labelsFull()) {
      return false;
    }
    long key = 0;
    long str = 0;
    long num = 0;
    long unit = 0;
    while (p < e) {
      int tag = buf[p++];
      int q = varint(p, e);
      if (q < 0) {
        return false;
      }
      p = q;
      long v = value;
      switch (tag) {
        case 0x08 -> key = v;
        case 0x10 -> str = v;
        case 0x18 -> num = v;
        case 0x20 -> unit = v;
        default -> {
          return false;
        }
      }
    }
    // string indexes beyond an int are out of range anyway; the general reader reports them
    if ((key | str | unit) >>> 31 != 0) {
      return false;
    }
    sink.addLabel(tagAt - base, (int) key, (int) str, num, (int) unit);
    return true;
  }

  /**
   * Reads the content at protobuf offsets {@code [from, to)} of the location record at offset
   * {@code at} into {@code raw}; false, with nothing added, if the caller must use the general
   * reader. At most {@code maxLines} lines.
   */
  boolean location(int at, int from, int to, RawLocations raw, int maxLines) {
    int lineStart = raw.lines;
    long id = 0;
    long mapping = 0;
    long address = 0;
    long folded = 0;
    int p = base + from;
    int end = base + to;
    while (p < end) {
      int tag = buf[p++];
      if (tag == 0x22) {
        int len = p < end ? buf[p++] : -1;
        if (len < 0 || len > end - p || raw.lines - lineStart >= maxLines
            || !line(p, p + len, raw)) {
          raw.truncateLines(lineStart);
          return false;
        }
        p += len;
        continue;
      }
      int q = varint(p, end);
      if (q < 0) {
        raw.truncateLines(lineStart);
        return false;
      }
      p = q;
      long v = value;
      switch (tag) {
        case 0x08 -> id = v;
        case 0x10 -> mapping = v;
        case 0x18 -> address = v;
        case 0x28 -> folded = v;
        default -> {
          raw.truncateLines(lineStart);
          return false;
        }
      }
    }
    raw.add(at, id, mapping, address, folded != 0, lineStart);
    return true;
  }

  private boolean line(int p, int e, RawLocations raw) {
    long function = 0;
    long line = 0;
    long column = 0;
    while (p < e) {
      int tag = buf[p++];
      int q = varint(p, e);
      if (q < 0) {
        return false;
      }
      p = q;
      long v = value;
      switch (tag) {
        case 0x08 -> function = v;
        case 0x10 -> line = v;
        case 0x18 -> column = v;
        default -> {
          return false;
        }
      }
    }
    raw.addLine(function, line, column);
    return true;
  }

  /**
   * Reads a record at protobuf offsets {@code [from, to)} made of varint fields numbered 1 to {@code
   * into.length} with one-byte tags (a Go function) into {@code into}, by field number, 0 where
   * absent; false if it holds anything else.
   */
  boolean varintFields(int from, int to, long[] into) {
    java.util.Arrays.fill(into, 0);
    int p = base + from;
    int end = base + to;
    while (p < end) {
      int field = (buf[p] >>> 3) - 1;
      if ((buf[p++] & 0x87) != WireReader.VARINT || field < 0 || field >= into.length) {
        return false;
      }
      p = varint(p, end);
      if (p < 0) {
        return false;
      }
      into[field] = value;
    }
    return true;
  }

  /**
   * Reads the varint at {@code p}, ending before {@code e}, into {@link #value}; returns where it
   * ends, or -1 if it is malformed or runs past {@code e}.
   */
  private int varint(int p, int e) {
    if (p < e) {
      long v = buf[p];
      if (v >= 0) {
        value = v;
        return p + 1;
      }
      if (p <= wordLimit) {
        long w = WordVarint.word(buf, p);
        int bits = WordVarint.bits(w);
        int q = p + (bits >>> 3);
        if (bits <= Long.SIZE) {
          value = WordVarint.value(w, bits);
          return q <= e ? q : -1;
        }
      }
    }
    long v = 0;
    for (int shift = 0; shift < 70 && p < e; shift += 7) {
      byte b = buf[p++];
      v |= (long) (b & 0x7f) << shift;
      if (b >= 0) {
        value = v;
        return p;
      }
    }
    return -1;
  }
}
