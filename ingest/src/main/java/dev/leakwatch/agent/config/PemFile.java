package dev.leakwatch.agent.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * One PEM file of {@code scrape.tls} as read at one moment: its bytes, or why it could not be read.
 * Two reads are equal when they found the same bytes (or the same error): that is how a rotated
 * file is told from an unchanged one, whatever its modification time says (Kubernetes swaps a
 * symlink, editors and agents rename over the old file).
 */
public final class PemFile {
  private final Path path;
  private final byte[] bytes;
  private final String error;

  private PemFile(Path path, byte[] bytes, String error) {
    this.path = path;
    this.bytes = bytes;
    this.error = error;
  }

  /** Reads {@code path} now (null for an unset file); may block as long as the file system does. */
  static PemFile read(Path path) {
    if (path == null) {
      return null;
    }
    try {
      return new PemFile(path, Files.readAllBytes(path), null);
    } catch (IOException e) {
      return new PemFile(path, null, e.toString());
    }
  }

  public Path path() {
    return path;
  }

  /**
   * The bytes read.
   *
   * @param key the configuration key of the file, for the message
   * @throws ConfigException if the file could not be read
   */
  byte[] bytes(String key) {
    if (bytes == null) {
      throw new ConfigException(key + ": cannot read " + path + " (" + error + ")");
    }
    return bytes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PemFile other
        && path.equals(other.path)
        && Arrays.equals(bytes, other.bytes)
        && Objects.equals(error, other.error);
  }

  @Override
  public int hashCode() {
    return Objects.hash(path, Arrays.hashCode(bytes), error);
  }
}
