package dev.leakwatch.agent.config;

import dev.leakwatch.web.TokenFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The push endpoint ({@code POST /ingest}), from the {@code push:} section.
 *
 * @param enabled whether the endpoint is served (default true)
 * @param tokens accepted bearer tokens; empty means no authentication, which is only allowed on
 *     a loopback address unless {@code allowUnauthenticated} is set
 * @param maxBodyBytes largest body accepted, enforced while reading (default 16 MiB)
 * @param allowUnauthenticated explicit opt-in to an unauthenticated endpoint on a non-loopback
 *     address (default false)
 */
public record PushSettings(
    boolean enabled, List<String> tokens, long maxBodyBytes, boolean allowUnauthenticated) {

  public PushSettings {
    tokens = List.copyOf(tokens);
  }

  static PushSettings parse(ConfigNode n, Path baseDir) {
    n.rejectUnknownKeys(
        Set.of("enabled", "tokens", "tokensFile", "maxBodySize", "allowUnauthenticated"));
    List<String> tokens;
    try {
      tokens = new ArrayList<>(n.strings("tokens", List.of()));
    } catch (ConfigException e) {
      // the usual slip, one token given as a string, would be quoted by the general message
      throw new ConfigException(n.path() + ".tokens: expected a list of tokens (one is [TOKEN]); what was"
          + " given is not repeated here, since it may be a token");
    }
    String file = n.string("tokensFile", null);
    if (file != null) {
      tokens.addAll(readTokens(baseDir.resolve(file), n.path() + ".tokensFile"));
    }
    for (String t : tokens) {
      if (t.isBlank() || t.chars().anyMatch(c -> c <= ' ' || c > '~')) {
        throw new ConfigException(
            n.path() + ".tokens: a token is blank or has characters outside printable ASCII");
      }
    }
    return new PushSettings(
        n.bool("enabled", true),
        tokens,
        n.bytes("maxBodySize", ScrapeSettings.DEFAULT_MAX_BODY_BYTES, 1024),
        n.bool("allowUnauthenticated", false));
  }

  /** One token per line; blank lines and lines starting with {@code #} are ignored. */
  private static List<String> readTokens(Path file, String what) {
    try {
      return TokenFile.read(file);
    } catch (IOException e) {
      throw new ConfigException(what + ": cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
