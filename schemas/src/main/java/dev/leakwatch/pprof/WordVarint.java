package dev.leakwatch.pprof;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Varints of up to eight bytes decoded from one little-endian 8-byte read (a "word") without a
 * branch per byte: where lengths vary from one varint to the next (a Go heap sample's counts and
 * byte sizes, a location's address), a byte loop mispredicts its exit. The end is the first byte
 * with a clear high bit; the 7-bit groups are then packed pairwise, in three steps.
 *
 * <p>Callers make sure that eight bytes can be read ({@code p + 8 <= buf.length}) and check the
 * returned end against the end of their field: bytes past it are read but never used.
 */
final class WordVarint {
  /** The high bit of every byte of a word. */
  static final long HIGH_BITS = 0x8080808080808080L;
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private WordVarint() {}

  /** The eight bytes {@code buf[p, p + 8)} as a little-endian long. */
  static long word(byte[] buf, int p) {
    return (long) LONG_LE.get(buf, p);
  }

  /**
   * Bits taken by the varint that starts {@code word}: eight times its length in bytes, 8 to 64;
   * more than 64 if it is longer than eight bytes.
   */
  static int bits(long word) {
    return Long.numberOfTrailingZeros(~word & HIGH_BITS) + 1;
  }

  /** The value of the varint that starts {@code word} and takes {@code bits} bits (8 to 64). */
  static long value(long word, int bits) {
    long x = word & (-1L >>> -bits);
    x = x & 0x007f007f007f007fL | (x & 0x7f007f007f007f00L) >>> 1;
    x = x & 0x00003fff00003fffL | (x & 0x3fff00003fff0000L) >>> 2;
    return x & 0x000000000fffffffL | (x & 0x0fffffff00000000L) >>> 4;
  }
}
