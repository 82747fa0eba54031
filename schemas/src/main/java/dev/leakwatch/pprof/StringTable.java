package dev.leakwatch.pprof;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The string table of one decoded profile, kept as the bytes it was read from: entry {@code i} is
 * decoded (UTF-8, malformed sequences becoming U+FFFD as Java decoding does) the first time it is
 * asked for, since most consumers look at a fraction of a profile's strings. Lengths were checked
 * against the limits when the table was read.
 *
 * <p>Immutable in what it returns and thread-safe: a string decoded by two threads at once is
 * decoded twice into equal values, and either may be kept (a {@code String} is safe to publish
 * through a race).
 */
final class StringTable {
  private final byte[] bytes;
  // entry i is bytes[starts[i], ends[i])
  private final int[] starts;
  private final int[] ends;
  private final String[] decoded;

  private StringTable(byte[] bytes, int[] starts, int[] ends) {
    this.bytes = bytes;
    this.starts = starts;
    this.ends = ends;
    this.decoded = new String[starts.length];
  }

  /**
   * The entries at protobuf offsets {@code [starts[i], ends[i])} of {@code buf} (protobuf offset 0
   * at {@code buf[base]}), in increasing order. The bytes from the first entry to the last are
   * copied, so the table does not keep the caller's buffer.
   */
  static StringTable copyOf(byte[] buf, int base, IntList starts, IntList ends) {
    int n = starts.size();
    if (n == 0) {
      return new StringTable(new byte[0], new int[0], new int[0]);
    }
    int first = starts.get(0);
    int[] s = new int[n];
    int[] e = new int[n];
    for (int i = 0; i < n; i++) {
      s[i] = starts.get(i) - first;
      e[i] = ends.get(i) - first;
    }
    byte[] bytes = Arrays.copyOfRange(buf, base + first, base + ends.get(n - 1));
    return new StringTable(bytes, s, e);
  }

  /** Number of entries. */
  int size() {
    return starts.length;
  }

  /** Entry {@code i}, which must exist. */
  String get(int i) {
    String s = decoded[i];
    if (s == null) {
      int len = ends[i] - starts[i];
      s = len == 0 ? "" : new String(bytes, starts[i], len, StandardCharsets.UTF_8);
      decoded[i] = s;
    }
    return s;
  }

  /** True if entry {@code i}, which must exist, is the empty string. */
  boolean isEmpty(int i) {
    return ends[i] == starts[i];
  }
}
