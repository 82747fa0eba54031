package dev.leakwatch.reliability.fuzz;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The kept corpus, {@code testdata/fuzz/<target>/}: one file per outcome class a campaign has
 * reached (the smallest input that reached it, up to {@link #MAX_KEPT_BYTES}), named after the class. A campaign run with
 * {@code -Dleakwatch.fuzz.record=true} adds the classes the corpus lacks; the replay test runs
 * every file on every build.
 */
final class FuzzCorpus {

  static final String RECORD_PROPERTY = "leakwatch.fuzz.record";
  /** Larger inputs are not kept: the corpus lives in git. */
  static final int MAX_KEPT_BYTES = 256 << 10;

  private FuzzCorpus() {}

  /** {@code testdata/fuzz}; skips the calling test when absent. */
  static Path root() {
    String testdata = System.getProperty("leakwatch.testdata");
    assumeTrue(testdata != null, "system property leakwatch.testdata not set");
    Path root = Path.of(testdata, "fuzz");
    assumeTrue(Files.isDirectory(root), "no fuzz corpus at " + root);
    return root;
  }

  /** The files kept for {@code target}, sorted. */
  static List<Path> files(String target) {
    Path dir = root().resolve(target);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".bin")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes the report's classes that the corpus lacks, when recording is asked for; returns how many. */
  static int recordIfAsked(FuzzCampaign.Report report) {
    if (!Boolean.getBoolean(RECORD_PROPERTY)) {
      return 0;
    }
    Path dir = root().resolve(report.target());
    int added = 0;
    try {
      Files.createDirectories(dir);
      for (Map.Entry<String, byte[]> e : report.smallestByClass().entrySet()) {
        Path file = dir.resolve(fileName(e.getKey()));
        if (e.getValue().length <= MAX_KEPT_BYTES && !Files.exists(file)) {
          Files.write(file, e.getValue());
          added++;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return added;
  }

  /** A readable, portable file name for an outcome class, unique by its hash. */
  static String fileName(String outcomeClass) {
    String readable = outcomeClass.replaceAll("[^A-Za-z0-9_]+", "-").replaceAll("^-|-$", "");
    if (readable.length() > 60) {
      readable = readable.substring(0, 60);
    }
    return readable + "-" + String.format("%08x", outcomeClass.hashCode()) + ".bin";
  }
}
