package dev.leakwatch.pprof;

import dev.leakwatch.pprof.ProfileDecodeException.Reason;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/** Gunzip into memory that never grows past a limit: a gzip bomb fails as soon as it passes it. */
final class BoundedGunzip {
  private static final int MAX_INPUT_BUFFER = 64 * 1024;
  private static final int MIN_OUTPUT = 4 * 1024;
  // Profiles compress 3-6x; a trailer claiming more than this is not trusted for the first buffer.
  private static final int MAX_TRUSTED_RATIO = 16;

  private BoundedGunzip() {}

  /** The gzip magic bytes 1f 8b. */
  static boolean isGzip(byte[] data) {
    return data.length >= 2 && (data[0] & 0xff) == 0x1f && (data[1] & 0xff) == 0x8b;
  }

  /**
   * The gzip trailer's ISIZE (uncompressed size mod 2^32 of the last member) plus one, so a
   * single-member stream inflates into one exact buffer; untrusted beyond a plausible ratio.
   */
  private static int firstBufferSize(byte[] gz, long maxDecompressedBytes) {
    long claimed = 0;
    if (gz.length >= 18) {
      int t = gz.length - 4;
      claimed = (gz[t] & 0xffL) | (gz[t + 1] & 0xffL) << 8 | (gz[t + 2] & 0xffL) << 16
          | (gz[t + 3] & 0xffL) << 24;
    }
    long plausible = Math.min(claimed + 1, (long) gz.length * MAX_TRUSTED_RATIO);
    return (int) Math.min(maxDecompressedBytes + 1, Math.max(MIN_OUTPUT, plausible));
  }

  /** Inflated bytes in {@code bytes[0, length)}. */
  record Inflated(byte[] bytes, int length) {}

  /**
   * Inflates a whole gzip stream (all members): the usual single member in one call ({@link
   * SingleMemberGunzip}), anything else, including every malformed stream, through the stream. The
   * bytes may be this thread's reused buffer, valid until its next call: nothing of them may
   * escape the caller.
   *
   * @throws ProfileDecodeException TRUNCATED_GZIP, BAD_GZIP or DECOMPRESSED_TOO_LARGE (offset -1)
   */
  static Inflated inflate(byte[] gz, long maxDecompressedBytes) {
    Inflated single = SingleMemberGunzip.inflate(gz, maxDecompressedBytes);
    return single != null ? single : inflateStream(gz, maxDecompressedBytes);
  }

  /** Inflates through {@link GZIPInputStream}: any number of members, every error as it says. */
  private static Inflated inflateStream(byte[] gz, long maxDecompressedBytes) {
    byte[] out = new byte[firstBufferSize(gz, maxDecompressedBytes)];
    int n = 0;
    int inputBuffer = Math.min(MAX_INPUT_BUFFER, Math.max(512, gz.length));
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz), inputBuffer)) {
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
