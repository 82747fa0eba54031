package dev.leakwatch.pprof;

/**
 * Reads the records that dominate a profile, samples and locations, when they are laid out the way
 * Go's runtime writes them, straight from the bytes and without the general reader's per-field
 * bookkeeping: one-byte tags, varint fields, packed location ids of one or two bytes that are in the
 * dense location table, packed values, labels and lines made of varint fields only.
 *
 * <p>It decides nothing about validity: at the first thing it does not expect (another layout, an
 * unknown field, an unresolved or long id, a malformed or overlong varint, one label or line more
 * than the limit, a field longer than its record) it returns false with nothing kept, and the
 * caller reads the record again with {@link WireReader}, which reports problems exactly. So it
 * never throws, and what it accepts decodes to exactly what the general reader would produce.
 */
final class GoLayoutReader {
  // a longer packed field goes to the general reader, which reserves memory as it proves data
  private static final int MAX_PACKED_BYTES = 4096;

  private final byte[] buf;
  private final int base;
  // the value of the last varint read by varint(), which returns where it ended: the position
  // stays in a register on the loop's critical path, the value goes through memory off it
  private long value;
  // for samples: the dense location table (entry i has id i) and the label limit
  private Object[] locById;
  private int maxLabels;

  /** Reads the protobuf that starts at {@code buf[base]}. */
  GoLayoutReader(byte[] buf, int base) {
    this.buf = buf;
    this.base = base;
  }

  /**
   * Prepares {@link #sample}: {@code locById} is the dense location table (entry i has id i),
   * {@code maxLabels} the labels allowed on one sample.
   */
  void forSamples(Object[] locById, int maxLabels) {
    this.locById = locById;
    this.maxLabels = maxLabels;
  }

  /**
   * Reads the sample content at protobuf offsets {@code [from, to)}, appending to the current
   * stack, to {@code values} and to {@code labels}; false if the caller must discard what was
   * appended and use the general reader.
   */
  boolean sample(int from, int to, StackBuilder stack, LongList values, LabelScratch labels) {
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
    labels.add(tagAt - base, key, str, num, unit);
    return true;
  }

  /**
   * Reads the location content at protobuf offsets {@code [from, to)} into {@code raw}'s location
   * and line tables; false, with nothing added, if the caller must use the general reader. At most
   * {@code maxLines} lines.
   */
  boolean location(int from, int to, RawProfile raw, int maxLines) {
    int lineStart = raw.lineFunction.size();
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
        if (len < 0 || len > end - p || raw.lineFunction.size() - lineStart >= maxLines
            || !line(p, p + len, raw)) {
          truncateLines(raw, lineStart);
          return false;
        }
        p += len;
        continue;
      }
      int q = varint(p, end);
      if (q < 0) {
        truncateLines(raw, lineStart);
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
          truncateLines(raw, lineStart);
          return false;
        }
      }
    }
    raw.addLocation(id, mapping, address, folded != 0, lineStart);
    return true;
  }

  private boolean line(int p, int e, RawProfile raw) {
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

  private static void truncateLines(RawProfile raw, int size) {
    raw.lineFunction.setSize(size);
    raw.lineNumber.setSize(size);
    raw.lineColumn.setSize(size);
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
