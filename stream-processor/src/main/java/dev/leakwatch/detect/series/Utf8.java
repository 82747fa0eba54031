package dev.leakwatch.detect.series;

/**
 * UTF-8 lengths and comparisons of Java strings without encoding them, exactly as {@link
 * String#getBytes(java.nio.charset.Charset)} with UTF-8 would encode them (an unpaired surrogate
 * becomes {@code '?'}). {@link InstanceLabels} compares every capture's labels against the block it
 * keeps, and the topology measures reports and shipped stacks against their byte bounds before it
 * encodes them: encoding each string to compare or measure it would allocate a byte array each
 * time, per record. Stateless.
 */
public final class Utf8 {
  private Utf8() {
  }

  /** {@code s}'s UTF-8 length, as {@link String#getBytes} encodes it (an unpaired surrogate: '?'). */
  public static int length(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += Character.isSurrogate(c) ? 1 : 3;
      }
    }
    return n;
  }

  /** Whether {@code len} bytes at {@code off} are {@code s} in UTF-8, without encoding {@code s}. */
  static boolean matches(byte[] b, int off, int len, String s) {
    int p = off;
    int end = off + len;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        if (p >= end || b[p++] != c) {
          return false;
        }
        continue;
      }
      int cp = c;
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        cp = Character.toCodePoint(c, s.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        cp = '?';
      }
      p = matchCodePoint(b, p, end, cp);
      if (p < 0) {
        return false;
      }
    }
    return p == end;
  }

  /** Matches the UTF-8 bytes of non-ASCII {@code cp} at {@code p}: the position after them, or -1. */
  private static int matchCodePoint(byte[] b, int p, int end, int cp) {
    int n = cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (end - p < n) {
      return -1;
    }
    int lead = n == 2 ? 0xC0 | cp >> 6 : n == 3 ? 0xE0 | cp >> 12 : 0xF0 | cp >> 18;
    if ((b[p] & 0xFF) != lead) {
      return -1;
    }
    for (int k = 1; k < n; k++) {
      if ((b[p + k] & 0xFF) != (0x80 | (cp >> (6 * (n - 1 - k)) & 0x3F))) {
        return -1;
      }
    }
    return p + n;
  }
}
