package dev.leakwatch.detect.series;

import dev.leakwatch.detect.StateFormatException;
import dev.leakwatch.detect.state.StateReader;
import dev.leakwatch.detect.state.StateWriter;
import dev.leakwatch.naming.Labels;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The labels of an instance's latest capture (its envelope's {@code labels}: version, region, ...) as
 * an {@link InstanceSeries} keeps them for the query API. Detection never reads them.
 *
 * <p>Bounded, because every capture rewrites the series and docs/PERFORMANCE.md holds the series
 * under 20 KB: at most {@value #MAX_LABELS} labels and {@value #MAX_BYTES} bytes of UTF-8 names and
 * values. The labels are taken in name order while both bounds hold; the first that would break one
 * and every later one are dropped, and so is any label that breaks {@link Labels}' rule (the agent
 * and the push endpoint refuse those, another producer might not). {@link #truncated()} then says
 * that some were dropped.
 *
 * <p>Kept in their encoded block (the same bytes the series value holds): a capture whose labels
 * equal the previous capture's, the usual case, is compared against the block ({@link
 * #sameAs(Map)}) without decoding it or allocating. Block layout: {@code count(varint)
 * truncated(byte 0|1)} then per label, names strictly increasing, {@code name value}, each a
 * length-prefixed UTF-8 string. Immutable.
 */
public final class InstanceLabels {
  /** Most labels kept per series. */
  public static final int MAX_LABELS = 16;

  /** Most bytes of UTF-8 names and values kept per series. */
  public static final int MAX_BYTES = 1024;

  /** No labels (nothing sent, or a value of a release before labels). */
  public static final InstanceLabels NONE = new InstanceLabels(new byte[] {0, 0}, 0, 2, 0, false);

  private final byte[] block;
  private final int offset;
  private final int length;
  private final int count;
  private final boolean truncated;

  private InstanceLabels(byte[] block, int offset, int length, int count, boolean truncated) {
    this.block = block;
    this.offset = offset;
    this.length = length;
    this.count = count;
    this.truncated = truncated;
  }

  /** The bounded labels of {@code labels} (null: none), as described above. */
  public static InstanceLabels of(Map<String, String> labels) {
    if (labels == null || labels.isEmpty()) {
      return NONE;
    }
    String[] names = labels.keySet().toArray(new String[0]);
    // String order; the names kept are ASCII (the label rule), so it is also the block's byte order
    Arrays.sort(names);
    StateWriter pairs = new StateWriter();
    int kept = 0;
    int bytes = 0;
    boolean dropped = false;
    for (String name : names) {
      String value = labels.get(name);
      if (value == null || Labels.problem(name, value).isPresent()) {
        dropped = true;
        continue;
      }
      int size = Utf8.length(name) + Utf8.length(value);
      if (kept == MAX_LABELS || bytes + size > MAX_BYTES) {
        dropped = true;
        break;
      }
      pairs.writeString(name).writeString(value);
      kept++;
      bytes += size;
    }
    StateWriter w = new StateWriter();
    w.writeVarInt(kept).writeByte(dropped ? 1 : 0).writeRaw(pairs);
    byte[] out = w.toByteArray();
    return kept == 0 && !dropped ? NONE : new InstanceLabels(out, 0, out.length, kept, dropped);
  }

  /**
   * Reads a block at {@code r}'s position, checking its counts, lengths and name order, and returns
   * a view of it in {@code bytes} (no copy: the block stays valid while {@code bytes} is unchanged).
   *
   * @throws StateFormatException naming the field and offset of the first problem
   */
  static InstanceLabels read(StateReader r, byte[] bytes) {
    int start = r.position();
    int n = r.readCount("label count", MAX_LABELS);
    int at = r.position();
    int flag = r.readByte("labels truncated flag");
    if (flag > 1) {
      throw new StateFormatException("bad labels truncated flag " + flag, at);
    }
    int total = 0;
    int previousName = -1;
    int previousLength = 0;
    for (int i = 0; i < n; i++) {
      at = r.position();
      int nameLength = r.skipBytes("label " + i + " name", MAX_BYTES);
      int name = r.position() - nameLength;
      if (previousName >= 0 && compare(bytes, previousName, previousLength, name, nameLength) >= 0) {
        throw new StateFormatException("label " + i + " is not after the previous label in name order", at);
      }
      previousName = name;
      previousLength = nameLength;
      total += nameLength + r.skipBytes("label " + i + " value", MAX_BYTES);
      if (total > MAX_BYTES) {
        throw new StateFormatException("labels hold more than " + MAX_BYTES + " bytes", at);
      }
    }
    return n == 0 && flag == 0 ? NONE : new InstanceLabels(bytes, start, r.position() - start, n, flag == 1);
  }

  /** Writes the block as {@link #read} reads it. */
  void write(StateWriter w) {
    w.writeRaw(block, offset, length);
  }

  /**
   * Whether {@link #of}({@code labels}) would equal these labels, decided without allocating when
   * nothing was dropped (a truncated set always answers false: its dropped labels are not kept to
   * compare with).
   */
  public boolean sameAs(Map<String, String> labels) {
    int size = labels == null ? 0 : labels.size();
    if (truncated || size != count) {
      return false;
    }
    if (size == 0) {
      return true;
    }
    for (Map.Entry<String, String> e : labels.entrySet()) {
      int p = position(e.getKey());
      if (p < 0) {
        return false;
      }
      int valueLength = lengthAt(p);
      if (!Utf8.matches(block, p + varIntSize(valueLength), valueLength, e.getValue())) {
        return false;
      }
    }
    return true; // as many labels, each kept one found: the same set
  }

  /** The position of the value of label {@code name} in the block, or -1. */
  private int position(String name) {
    int p = offset + varIntSize(count) + 1;
    for (int i = 0; i < count; i++) {
      int nameLength = lengthAt(p);
      p += varIntSize(nameLength);
      boolean found = Utf8.matches(block, p, nameLength, name);
      p += nameLength;
      if (found) {
        return p;
      }
      int valueLength = lengthAt(p);
      p += varIntSize(valueLength) + valueLength;
    }
    return -1;
  }

  /** The labels, sorted by name. */
  public SortedMap<String, String> asMap() {
    if (count == 0) {
      return Collections.emptySortedMap();
    }
    StateReader r = new StateReader(Arrays.copyOfRange(block, offset, offset + length));
    r.readCount("label count", MAX_LABELS);
    r.readByte("labels truncated flag");
    TreeMap<String, String> out = new TreeMap<>();
    for (int i = 0; i < count; i++) {
      out.put(r.readString("label name", MAX_BYTES), r.readString("label value", MAX_BYTES));
    }
    return Collections.unmodifiableSortedMap(out);
  }

  /** Whether labels were dropped: over the bounds, or breaking the label rule. */
  public boolean truncated() {
    return truncated;
  }

  /** Labels kept. */
  public int size() {
    return count;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InstanceLabels l && truncated == l.truncated && count == l.count
        && Arrays.equals(block, offset, offset + length, l.block, l.offset, l.offset + l.length);
  }

  @Override
  public int hashCode() {
    int h = 1;
    for (int i = offset; i < offset + length; i++) {
      h = 31 * h + block[i];
    }
    return h;
  }

  @Override
  public String toString() {
    return asMap() + (truncated ? " (truncated)" : "");
  }

  /** A varint the block holds at {@code p} (lengths there were checked when it was read or written). */
  private int lengthAt(int p) {
    int v = 0;
    for (int shift = 0; ; shift += 7) {
      byte b = block[p++];
      v |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
    }
  }

  private static int varIntSize(int v) {
    int n = 1;
    while ((v >>>= 7) != 0) {
      n++;
    }
    return n;
  }

  /** Compares two byte ranges as unsigned bytes (for UTF-8, code point order). */
  private static int compare(byte[] b, int a, int aLength, int c, int cLength) {
    return Arrays.compareUnsigned(b, a, a + aLength, b, c, c + cLength);
  }
}
