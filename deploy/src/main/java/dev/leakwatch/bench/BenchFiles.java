package dev.leakwatch.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Scratch directories of the benchmarks. */
final class BenchFiles {

  private BenchFiles() {}

  /** A new directory under {@code root} (created if needed) whose name starts with {@code prefix}. */
  static Path scratch(Path root, String prefix) {
    try {
      Files.createDirectories(root);
      return Files.createTempDirectory(root, prefix);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory under " + root, e);
    }
  }

  /** Deletes {@code dir} and everything below it; best effort (a left-over scratch dir is harmless). */
  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort, see above
    }
  }
}
