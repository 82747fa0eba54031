package dev.leakwatch.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A scratch directory for one run of {@code demo} or {@code local} (broker data, processor state):
 * {@code <base>/<pid>}, deleted when the run ends. Directories left by runs whose process is gone
 * (killed with {@code kill -9}) are deleted when the next run starts; those of live runs are left
 * alone, so two runs side by side do not disturb each other.
 */
public final class RunDirectory implements AutoCloseable {

  private final Path dir;

  private RunDirectory(Path dir) {
    this.dir = dir;
  }

  /** Creates {@code <base>/<this pid>} after removing the directories of dead runs under base. */
  public static RunDirectory create(Path base) {
    try {
      Files.createDirectories(base);
      for (Path stale : staleRuns(base)) {
        deleteTree(stale);
      }
      Path dir = base.resolve(Long.toString(ProcessHandle.current().pid()));
      deleteTree(dir);
      Files.createDirectories(dir);
      return new RunDirectory(dir.toAbsolutePath().normalize());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a run directory under " + base + ": " + e.getMessage(), e);
    }
  }

  public Path path() {
    return dir;
  }

  /** Deletes the directory and everything in it. */
  @Override
  public void close() {
    try {
      deleteTree(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir + ": " + e.getMessage(), e);
    }
  }

  private static List<Path> staleRuns(Path base) throws IOException {
    try (Stream<Path> s = Files.list(base)) {
      return s.filter(Files::isDirectory).filter(d -> {
        String name = d.getFileName().toString();
        return name.matches("\\d{1,18}") && ProcessHandle.of(Long.parseLong(name)).isEmpty();
      }).toList();
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
