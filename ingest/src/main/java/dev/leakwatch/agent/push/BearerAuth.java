package dev.leakwatch.agent.push;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Bearer-token check for the push endpoint. With no tokens configured every request passes. A
 * request with two Authorization headers gets 400 (even without tokens); one without a usable
 * {@code Authorization: Bearer <token>} header gets 401; one with a token
 * that is not configured gets 403. Tokens are compared by their SHA-256 digests in constant time,
 * so neither content nor length leaks through timing.
 */
public final class BearerAuth {
  private static final String PREFIX = "bearer ";
  private final List<byte[]> digests;

  public BearerAuth(List<String> tokens) {
    this.digests = tokens.stream().map(BearerAuth::digest).collect(Collectors.toList());
  }

  public boolean enabled() {
    return !digests.isEmpty();
  }

  /**
   * @param headers every Authorization header of the request (empty when none)
   * @throws PushRejection 401 or 403 as described above; 400 for more than one header (a
   *     singleton field, RFC 9110: which one a proxy or server honours would be a guess)
   */
  public void check(List<String> headers) {
    if (headers.size() > 1) {
      throw new PushRejection(400, "bad_header", "Authorization header given " + headers.size()
          + " times; send exactly one");
    }
    if (!enabled()) {
      return;
    }
    String authorization = headers.isEmpty() ? null : headers.get(0);
    if (authorization == null || authorization.isBlank()) {
      throw new PushRejection(401, "unauthorized", "missing Authorization: Bearer <token> header");
    }
    String h = authorization.trim();
    if (h.length() <= PREFIX.length() || !h.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      throw new PushRejection(
          401, "unauthorized", "Authorization header must use the Bearer scheme");
    }
    byte[] presented = digest(h.substring(PREFIX.length()).trim());
    boolean match = false;
    for (byte[] d : digests) {
      match |= MessageDigest.isEqual(d, presented);
    }
    if (!match) {
      throw new PushRejection(403, "forbidden", "bearer token not accepted");
    }
  }

  private static byte[] digest(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
