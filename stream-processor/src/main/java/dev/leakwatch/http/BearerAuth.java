package dev.leakwatch.http;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.List;

/**
 * Bearer-token authentication (RFC 6750): with tokens configured, a request must carry {@code
 * Authorization: Bearer <token>} with one of them. Missing or malformed: 401 with a {@code
 * WWW-Authenticate} challenge; present but wrong: 403. Tokens are compared by digest in constant
 * time. A browser, which cannot add the header to page loads, may instead carry the token in the
 * HttpOnly cookie {@link #COOKIE} that the UI's login sets (see {@link UiRoutes}); the header wins
 * when both are present.
 */
final class BearerAuth {

  private static final String PREFIX = "Bearer ";
  /** Cookie carrying a token for the web UI. */
  static final String COOKIE = "leakwatch_token";

  private final List<byte[]> digests;
  private final String first;

  BearerAuth(List<String> tokens) {
    this.digests = tokens.stream().map(BearerAuth::digest).toList();
    this.first = tokens.isEmpty() ? null : tokens.get(0);
  }

  boolean enabled() {
    return !digests.isEmpty();
  }

  /** The header value instances use when asking each other; null without tokens. */
  String peerAuthorization() {
    return first == null ? null : PREFIX + first;
  }

  /**
   * @throws AuthException when authentication is on and the request does not pass; 400 for two
   *     or more Authorization headers (a singleton field, RFC 9110: honouring either would be a
   *     guess)
   */
  void check(Context ctx) {
    if (!enabled()) {
      return;
    }
    List<String> headers = Collections.list(ctx.req().getHeaders("Authorization"));
    if (headers.size() > 1) {
      throw new AuthException(400, "Authorization header given " + headers.size() + " times; send exactly one");
    }
    String header = headers.isEmpty() ? null : headers.get(0);
    String cookie = header == null ? ctx.cookie(COOKIE) : null;
    if (cookie != null && !cookie.isEmpty()) {
      if (!accepts(cookie)) {
        throw new AuthException(401, "the login cookie's token is no longer accepted; log in again");
      }
      return;
    }
    if (header == null || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
        || header.length() == PREFIX.length()) {
      throw new AuthException(401, header == null ? "missing Authorization header; expected 'Bearer <token>'"
          : "Authorization header is not 'Bearer <token>'");
    }
    if (!accepts(header.substring(PREFIX.length()).trim())) {
      throw new AuthException(403, "bearer token not accepted");
    }
  }

  /** Whether {@code token} is one of the configured tokens (constant time per token). */
  boolean accepts(String token) {
    byte[] given = digest(token);
    boolean ok = false;
    for (byte[] d : digests) {
      ok |= MessageDigest.isEqual(d, given);
    }
    return ok;
  }

  /** A request that failed authentication: 400 (ambiguous credentials), 401 or 403. */
  static final class AuthException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;

    AuthException(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  private static byte[] digest(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform provides SHA-256", e);
    }
  }
}
