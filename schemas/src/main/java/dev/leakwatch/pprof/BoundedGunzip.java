package dev.leakwatch.pprof;

import dev.leakwatch.pprof.ProfileDecodeException.Reason;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/** Gunzip into memory that never grows past a limit: a gzip bomb fails as soon as it passes it. */
final class BoundedGunzip {
  private static final int INPUT_BUFFER = 64 * 1024;
  private static final int MIN_OUTPUT = 64 * 1024;
  // Go's heap profiles compress about 4-6x; starting near that avoids most regrowth copies.
  private static final int EXPECTED_RATIO = 6;

  private BoundedGunzip() {}

  /** The gzip magic bytes 1f 8b. */
  static boolean isGzip(byte[] data) {
    return data.length >= 2 && (data[0] & 0xff) == 0x1f && (data[1] & 0xff) == 0x8b;
  }

  /** Inflated bytes in {@code bytes[0, length)}. */
  record Inflated(byte[] bytes, int length) {}

  /**
   * Inflates a whole gzip stream (all members).
   *
   * @throws ProfileDecodeException TRUNCATED_GZIP, BAD_GZIP or DECOMPRESSED_TOO_LARGE (offset -1)
   */
  static Inflated inflate(byte[] gz, long maxDecompressedBytes) {
    int cap = (int) Math.min(maxDecompressedBytes + 1,
        Math.max(MIN_OUTPUT, (long) gz.length * EXPECTED_RATIO));
    byte[] out = new byte[cap];
    int n = 0;
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz), INPUT_BUFFER)) {
      while (true) {
        if (n == out.length) {
          if (n > maxDecompressedBytes) {
            throw new ProfileDecodeException(Reason.DECOMPRESSED_TOO_LARGE, -1,
                "gzip stream of " + gz.length + " bytes inflates past limit maxDecompressedBytes="
                    + maxDecompressedBytes);
          }
          out = Arrays.copyOf(out, (int) Math.min(maxDecompressedBytes + 1, 2L * n));
        }
        int r = in.read(out, n, out.length - n);
        if (r < 0) {
          return new Inflated(out, n);
        }
        n += r;
      }
    } catch (EOFException e) {
      throw new ProfileDecodeException(Reason.TRUNCATED_GZIP, -1,
          "gzip stream of " + gz.length + " bytes ends early after inflating " + n + " bytes", e);
    } catch (IOException e) {
      throw new ProfileDecodeException(Reason.BAD_GZIP, -1,
          "corrupt gzip stream after inflating " + n + " bytes: " + e.getMessage(), e);
    }
  }
}
