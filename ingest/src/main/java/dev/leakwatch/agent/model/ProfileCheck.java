package dev.leakwatch.agent.model;

import dev.leakwatch.pprof.DecodeLimits;
import dev.leakwatch.pprof.ProfileSniffer;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * The "is this a pprof profile" check applied to every body before it is published (scraped or
 * pushed): the sniff of its first bytes ({@link ProfileSniffer}, at most 4 KiB inflated), and for
 * a gzip'd body also that the gzip stream runs to its end and its trailer (CRC-32 and length)
 * matches. The sniff alone passes a body cut off after its first few KiB (a pushed file copied
 * while it was being written, a response whose connection closed early without a length to tell),
 * which the processor would only dead-letter later while the agent had counted it as good.
 *
 * <p>The inflated bytes are discarded as they come (memory: one scratch buffer), and at most
 * {@link #MAX_CHECKED_INFLATED_BYTES} are inflated: a body that inflates further is left to the
 * decoder's own limits, so the check costs a bounded amount of CPU even for a gzip bomb.
 */
public final class ProfileCheck {
  /** Inflated bytes looked at, at most: the processor's default decode limit. */
  static final long MAX_CHECKED_INFLATED_BYTES = DecodeLimits.defaults().maxDecompressedBytes();

  private static final int SCRATCH_BYTES = 64 * 1024;

  private ProfileCheck() {}

  /** Empty if {@code body} looks like a pprof profile, else why not. */
  public static Optional<String> rejection(byte[] body) {
    if (body.length == 0) {
      return Optional.of("empty body");
    }
    var result = ProfileSniffer.sniff(body);
    if (!result.isProfile()) {
      return Optional.of(result.reason());
    }
    return isGzip(body) ? gzipEndProblem(body) : Optional.empty();
  }

  private static boolean isGzip(byte[] body) {
    return body.length >= 2 && (body[0] & 0xff) == 0x1f && (body[1] & 0xff) == 0x8b;
  }

  /** Inflates to the end, discarding the output: empty when every member ends with its trailer. */
  private static Optional<String> gzipEndProblem(byte[] body) {
    byte[] scratch = new byte[SCRATCH_BYTES];
    long inflated = 0;
    try (GZIPInputStream in =
        new GZIPInputStream(new ByteArrayInputStream(body), Math.min(SCRATCH_BYTES, body.length))) {
      int n;
      while ((n = in.read(scratch)) >= 0) {
        inflated += n;
        if (inflated > MAX_CHECKED_INFLATED_BYTES) {
          return Optional.empty(); // not checked further: the decoder's limits decide
        }
      }
      return Optional.empty();
    } catch (EOFException e) {
      return Optional.of(
          "gzip stream is truncated: it ends after " + body.length + " bytes (" + inflated
              + " bytes inflated) without its end and trailer");
    } catch (IOException e) {
      return Optional.of(
          "corrupt gzip stream after " + inflated + " bytes inflated: " + e.getMessage());
    }
  }
}
