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
 * per call is not free) and, for profiles of usual size, its own output buffer.
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
  // Inflated protobufs up to this size go into the thread's reused buffer: the decoder copies out
  // what a profile keeps, so the buffer is free again when the decode returns.
  private static final int REUSE_MAX_BYTES = RawProfile.REUSE_MAX_BYTES;
  private static final ThreadLocal<byte[]> OUTPUT = new ThreadLocal<>();

  private SingleMemberGunzip() {}

  /**
   * The inflated member, or null if {@code gz} is not a single plain member that inflates
   * correctly to at most {@code maxDecompressedBytes}. The bytes may be this thread's reused
   * buffer: valid until the thread's next call, so the caller must not let them escape.
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
    byte[] out = output((int) size + 1);
    Inflater inflater = INFLATER.get();
    try {
      inflater.setInput(gz, HEADER, n - HEADER);
      int got = inflater.inflate(out, 0, (int) size + 1);
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

  /** A buffer of at least {@code n} bytes: this thread's reused one unless {@code n} is large. */
  private static byte[] output(int n) {
    if (n > REUSE_MAX_BYTES + 1) {
      return new byte[n];
    }
    byte[] out = OUTPUT.get();
    if (out == null || out.length < n) {
      out = new byte[n];
      OUTPUT.set(out);
    }
    return out;
  }

  private static long le32(byte[] b, int at) {
    return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16
        | (b[at + 3] & 0xffL) << 24;
  }
}
