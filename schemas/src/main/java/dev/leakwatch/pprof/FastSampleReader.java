package dev.leakwatch.pprof;

/**
 * Reads a sample laid out the way Go's runtime writes it straight from the bytes, without the
 * general reader's per-field bookkeeping: one-byte tags, packed location ids of one or two bytes
 * that are in the dense location table, packed values, labels made of varint fields only.
 *
 * <p>It decides nothing about validity: at the first thing it does not expect (another layout, an
 * unresolved or long id, a malformed or overlong varint, one label more than the limit, a field
 * longer than its sample) it returns false, and the caller reads the sample again with {@link
 * WireReader}, which reports problems exactly. So it never throws, and what it accepts decodes to
 * exactly what the general reader would produce.
 */
final class FastSampleReader {
  // a longer packed field goes to the general reader, which reserves memory as it proves data
  private static final int MAX_PACKED_BYTES = 4096;

  private final byte[] buf;
  private final int base;
  private final Object[] locById;
  private final int maxLabels;
  // where the last varint read by varint() ended; -1 if it was malformed or ran past its field
  private int next;

  /**
   * @param buf the protobuf, starting at {@code buf[base]}
   * @param locById the dense location table (entry i has id i)
   * @param maxLabels labels allowed on one sample
   */
  FastSampleReader(byte[] buf, int base, Object[] locById, int maxLabels) {
    this.buf = buf;
    this.base = base;
    this.locById = locById;
    this.maxLabels = maxLabels;
  }

  /**
   * Reads the sample content at protobuf offsets {@code [from, to)}, appending to the current
   * stack, to {@code values} and to {@code labels}; false if the caller must discard what was
   * appended and use the general reader.
   */
  boolean read(int from, int to, StackBuilder stack, LongList values, LabelScratch labels) {
    byte[] b = buf;
    int p = base + from;
    int end = base + to;
    while (p < end) {
      int tagAt = p;
      int tag = b[p++];
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
        case 0x0a -> ids(p, fieldEnd, stack);
        case 0x12 -> varints(p, fieldEnd, values);
        case 0x1a -> label(tagAt, p, fieldEnd, labels);
        default -> false;
      };
      if (!read) {
        return false;
      }
      p = fieldEnd;
    }
    return true;
  }

  private boolean ids(int p, int e, StackBuilder stack) {
    stack.ensureRoom(e - p);
    Location[] out = stack.array();
    Object[] byId = locById;
    int first = stack.end();
    int n = first;
    long frames = 0;
    while (p < e) {
      int id = buf[p++];
      if (id < 0) {
        int hi = p < e ? buf[p++] : -1;
        if (hi < 0) {
          return false;
        }
        id = (id & 0x7f) | hi << 7;
      }
      if (id >= byId.length || byId[id] == null) {
        return false;
      }
      Location loc = (Location) byId[id];
      frames += loc.frameCount();
      out[n++] = loc;
    }
    stack.added(n - first, frames);
    return true;
  }

  private boolean varints(int p, int e, LongList sink) {
    long[] out = sink.reserve(e - p);
    int n = sink.size();
    while (p < e) {
      long v = varint(p, e);
      if (next < 0) {
        return false;
      }
      p = next;
      out[n++] = v;
    }
    sink.setSize(n);
    return true;
  }

  private boolean label(int tagAt, int p, int e, LabelScratch labels) {
    if (labels.size() >= maxLabels) {
      return false;
    }
    long key = 0;
    long str = 0;
    long num = 0;
    long unit = 0;
    while (p < e) {
      int tag = buf[p++];
      long v = varint(p, e);
      if (next < 0) {
        return false;
      }
      p = next;
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
    labels.add(tagAt - base, key, str, num, unit);
    return true;
  }

  /** The varint at {@code p}, ending before {@code e}; sets {@link #next} (-1 if malformed). */
  private long varint(int p, int e) {
    if (p < e) {
      long v = buf[p];
      if (v >= 0) {
        next = p + 1;
        return v;
      }
    }
    long v = 0;
    for (int shift = 0; shift < 70 && p < e; shift += 7) {
      byte b = buf[p++];
      v |= (long) (b & 0x7f) << shift;
      if (b >= 0) {
        next = p;
        return v;
      }
    }
    next = -1;
    return 0;
  }
}
