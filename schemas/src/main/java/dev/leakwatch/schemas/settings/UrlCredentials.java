package dev.leakwatch.schemas.settings;

/**
 * A configured URL as it may be quoted in an error or a log line: without the user info a
 * {@code user:password@} would put there. Works on the text as written, since the URLs it serves
 * are those that failed to parse or parsed without a host (java.net.URI then reports no user info):
 * everything between the scheme's {@code ://} (or the start) and the last {@code @} is replaced by
 * {@code ***}, which hides a password holding {@code /} or {@code @} too.
 */
public final class UrlCredentials {
  private UrlCredentials() {}

  /** {@code url} with any user info replaced by {@code ***}; unchanged without an {@code @}. */
  public static String hide(String url) {
    int scheme = url.indexOf("://");
    int start = scheme < 0 ? 0 : scheme + 3;
    int at = url.lastIndexOf('@');
    return at < start ? url : url.substring(0, start) + "***" + url.substring(at);
  }
}
