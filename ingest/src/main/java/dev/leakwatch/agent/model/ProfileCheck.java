package dev.leakwatch.agent.model;

import dev.leakwatch.pprof.ProfileSniffer;
import java.util.Optional;

/**
 * The quick "is this a pprof profile" check applied to every body before it is published: looks
 * at the first bytes (inflating at most a few KB of a gzip'd body), never decodes it all.
 */
public final class ProfileCheck {
  private ProfileCheck() {}

  /** Empty if {@code body} looks like a pprof profile, else why not. */
  public static Optional<String> rejection(byte[] body) {
    if (body.length == 0) {
      return Optional.of("empty body");
    }
    var result = ProfileSniffer.sniff(body);
    return result.isProfile() ? Optional.empty() : Optional.of(result.reason());
  }
}
