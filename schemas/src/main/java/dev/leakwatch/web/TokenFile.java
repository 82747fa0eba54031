package dev.leakwatch.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The one format of every bearer-token file (the API's {@code http.tokensFile}, the push endpoint's
 * {@code push.tokensFile}, the alert bridge's {@code --token-file}): UTF-8, one token per line,
 * surrounding whitespace trimmed, blank lines and lines starting with {@code #} ignored. Callers judge
 * the tokens themselves (how many, which characters).
 */
public final class TokenFile {

  private TokenFile() {}

  /** The tokens of {@code file}, in file order; empty when it holds none. */
  public static List<String> read(Path file) throws IOException {
    return Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::trim)
        .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
  }
}
