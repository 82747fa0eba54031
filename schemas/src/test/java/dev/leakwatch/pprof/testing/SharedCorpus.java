package dev.leakwatch.pprof.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The developer corpus beside a development checkout ({@code ../shared/corpus}, system property
 * {@code leakwatch.shared.corpus}): real Go profiles with manifests whose {@code verification}
 * numbers were computed by an independent decoder and cross-checked against Go's {@code
 * profile.Parse}. Tests using it skip when it is absent.
 */
public final class SharedCorpus {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SharedCorpus() {}

  /** The corpus root; skips the calling test when it is not present. */
  public static Path root() {
    String p = System.getProperty("leakwatch.shared.corpus");
    assumeTrue(p != null && Files.isDirectory(Path.of(p)),
        "developer corpus not present (leakwatch.shared.corpus=" + p + ")");
    return Path.of(p);
  }

  public static Path scenario(String dir) {
    return root().resolve(dir);
  }

  public static JsonNode manifest(String scenarioDir) {
    try {
      return JSON.readTree(scenario(scenarioDir).resolve("manifest.json").toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] read(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
