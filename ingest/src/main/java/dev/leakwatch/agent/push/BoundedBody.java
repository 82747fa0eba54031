package dev.leakwatch.agent.push;

import dev.leakwatch.web.BodyTimeoutException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a request body up to a byte bound, refusing as soon as the bound is passed: a declared
 * Content-Length over the bound is refused before reading anything, and a body without one (or
 * lying about it) is refused when the first byte past the bound arrives. Memory held follows the
 * bytes that arrived (at most the bound plus one read chunk), not the declared length.
 */
final class BoundedBody {
  private static final int CHUNK = 64 * 1024;
  /**
   * Most room reserved up front from a declared Content-Length: enough for a typical profile in
   * one allocation, while a larger body grows as its bytes arrive, so a client that declares
   * {@code maxBytes} and sends little costs little.
   */
  private static final int MAX_PRESIZE = 1 << 20;

  private BoundedBody() {}

  /**
   * @param contentLength the declared length, or -1 if none
   * @throws PushRejection 413 over the bound, 408 past the body deadline, 400 if the stream ends
   *     early or fails
   */
  static byte[] read(InputStream in, long contentLength, long maxBytes) {
    if (contentLength > maxBytes) {
      throw tooLarge("Content-Length " + contentLength, maxBytes);
    }
    long declared = contentLength >= 0 ? contentLength : CHUNK;
    int initial = (int) Math.min(Math.min(maxBytes, MAX_PRESIZE), declared);
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(initial, 1));
    byte[] chunk = new byte[CHUNK];
    long total = 0;
    try {
      int n;
      while ((n = in.read(chunk, 0, (int) Math.min(CHUNK, maxBytes - total + 1))) > 0) {
        total += n;
        if (total > maxBytes) {
          throw tooLarge("body", maxBytes);
        }
        out.write(chunk, 0, n);
      }
    } catch (IOException e) {
      BodyTimeoutException timeout = BodyTimeoutException.in(e);
      if (timeout != null) {
        throw new PushRejection(408, "timeout", timeout.getMessage() + "; " + total + " bytes arrived");
      }
      throw new PushRejection(
          400, "bad_body", "could not read the body after " + total + " bytes: " + e.getMessage());
    }
    if (contentLength >= 0 && total != contentLength) {
      throw new PushRejection(
          400, "bad_body", "body ended after " + total + " of " + contentLength + " declared bytes");
    }
    return out.toByteArray();
  }

  private static PushRejection tooLarge(String what, long maxBytes) {
    return new PushRejection(
        413, "too_large", what + " exceeds the limit of " + maxBytes + " bytes");
  }
}
