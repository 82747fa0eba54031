package dev.leakwatch.pprof;

import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The common case of {@link BoundedGunzip}, done without streams: one gzip member with a plain
 * 10-byte header (no optional fields, as Go's {@code compress/gzip} writes it) whose deflate data
 * ends exactly 8 bytes (the trailer) before the end of the input. The member is inflated in one
 * call into a buffer sized from the trailer's ISIZE, then checked against the trailer's CRC32 and
 * ISIZE.
 *
 * <p>It decides nothing about validity: anything else (other header flags, a second member or
 * trailing bytes, an ISIZE beyond the limit or implausible for the input, corrupt or truncated
 * data, a CRC or size mismatch) returns null and the caller inflates the input again with {@link
 * java.util.zip.GZIPInputStream}, which reports problems as before. So malformed input costs a
 * second attempt, valid input one pass.
 *
 * <p>Thread-safe: each thread reuses its own {@link Inflater} (creating one and initialising zlib
 * per call is not free); nothing of it is reachable from the result.
 */
final class SingleMemberGunzip {
  private static final int HEADER = 10;
  private static final int TRAILER = 8;
  private static final int DEFLATE = 8;
  // Profiles compress 3-6x; a trailer claiming more than this is left to the stream path, which
  // grows its buffer as data proves to be there.
  private static final int MAX_TRUSTED_RATIO = 16;
  private static final ThreadLocal<Inflater> INFLATER =
      ThreadLocal.withInitial(() -> new Inflater(true));

  private SingleMemberGunzip() {}

  /**
   * The inflated member, or null if {@code gz} is not a single plain member that inflates
   * correctly to at most {@code maxDecompressedBytes}.
   */
  static BoundedGunzip.Inflated inflate(byte[] gz, long maxDecompressedBytes) {
    int n = gz.length;
    if (n < HEADER + TRAILER || !BoundedGunzip.isGzip(gz) || (gz[2] & 0xff) != DEFLATE
        || gz[3] != 0) {
      return null;
    }
    long size = le32(gz, n - 4);
    if (size == 0 || size > maxDecompressedBytes || size > (long) n * MAX_TRUSTED_RATIO) {
      return null;
    }
    // one spare byte: output beyond ISIZE shows the trailer is wrong without a second call
    byte[] out = new byte[(int) size + 1];
    Inflater inflater = INFLATER.get();
    try {
      inflater.setInput(gz, HEADER, n - HEADER);
      int got = inflater.inflate(out);
      if (got != size || !inflater.finished() || inflater.getRemaining() != TRAILER) {
        return null;
      }
    } catch (DataFormatException e) {
      return null;
    } finally {
      // ready for the next call, and no reference to the caller's input is kept
      inflater.reset();
    }
    CRC32 crc = new CRC32();
    crc.update(out, 0, (int) size);
    if (crc.getValue() != le32(gz, n - TRAILER)) {
      return null;
    }
    return new BoundedGunzip.Inflated(out, (int) size);
  }

  private static long le32(byte[] b, int at) {
    return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16
        | (b[at + 3] & 0xffL) << 24;
  }
}
