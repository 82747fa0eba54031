package dev.leakwatch.pprof.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Real Go profiles for tests: the project's recorded corpus ({@code testdata/corpus}, system property
 * {@code leakwatch.testdata}) when present, else the developer corpus ({@link SharedCorpus}). Tests
 * skip (JUnit assumption) when neither is there.
 */
public final class ProfileFixtures {
  private ProfileFixtures() {}

  /** The corpus root in use; skips the calling test when there is none. */
  public static Path corpusRoot() {
    String testdata = System.getProperty("leakwatch.testdata");
    if (testdata != null) {
      Path corpus = Path.of(testdata, "corpus");
      if (Files.isDirectory(corpus)) {
        return corpus;
      }
    }
    return SharedCorpus.root();
  }

  /** Every {@code *-<type>.pb.gz} file of the corpus, sorted by path; type is heap/goroutine/allocs. */
  public static List<Path> files(String type) {
    List<Path> files = FILES.computeIfAbsent(type, ProfileFixtures::find);
    assumeTrue(!files.isEmpty(), "no " + type + " profiles in " + corpusRoot());
    return files;
  }

  private static final Map<String, List<Path>> FILES = new ConcurrentHashMap<>();

  private static List<Path> find(String type) {
    try (Stream<Path> s = Files.walk(corpusRoot())) {
      return s.filter(p -> p.getFileName().toString().endsWith("-" + type + ".pb.gz"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The largest file of a type (ties broken by path): the one with the most samples, typically. */
  public static Path largest(String type) {
    return files(type).stream()
        .max(Comparator.comparingLong(ProfileFixtures::size).thenComparing(Comparator.reverseOrder()))
        .orElseThrow();
  }

  /**
   * The captures of one instance, oldest first: the directory holding {@link #largest(String)}
   * (a run long enough for early and late profiles to differ).
   */
  public static List<Path> series(String type) {
    Path dir = largest(type).getParent();
    return files(type).stream().filter(p -> p.getParent().equals(dir)).toList();
  }

  /** The bytes of {@link #largest(String)}, gzip'd as the Go runtime served them. */
  public static byte[] largestBytes(String type) {
    return SharedCorpus.read(largest(type));
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
