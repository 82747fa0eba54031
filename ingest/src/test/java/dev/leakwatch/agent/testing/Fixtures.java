package dev.leakwatch.agent.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.leakwatch.agent.model.ProfileKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Recorded Go runtime profiles for tests: the project's corpus ({@code testdata/corpus}, via the
 * {@code leakwatch.testdata} property set by surefire), else the developer corpus beside the
 * checkout ({@code leakwatch.shared.corpus}). Tests needing one skip cleanly when neither exists.
 */
public final class Fixtures {
  private Fixtures() {}

  /** The bytes of one recorded profile of {@code kind}, exactly as Go served them (gzip'd). */
  public static byte[] profile(ProfileKind kind) {
    Optional<Path> file = find(kind);
    assumeTrue(file.isPresent(), "no recorded " + kind.endpoint() + " profile available");
    try {
      return Files.readAllBytes(file.get());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The recorded heap profile of the corpus' "typical profile" service ({@code N_profile-heavy}:
   * about 5 KB gzip'd, 15 KB inflated), for checks that must look past a body's first 4 KiB.
   */
  public static byte[] typicalHeap() {
    Optional<Path> file =
        candidates()
            .map(root -> root.resolve("N_profile-heavy/replica-0/0000-heap.pb.gz"))
            .filter(Files::isRegularFile)
            .findFirst();
    assumeTrue(file.isPresent(), "no recorded N_profile-heavy heap profile available");
    try {
      return Files.readAllBytes(file.get());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The first recorded profile of {@code kind} (file names {@code <seq>-<type>.pb.gz}). */
  public static Optional<Path> find(ProfileKind kind) {
    String suffix = "-" + kind.endpoint() + ".pb.gz";
    for (Path root : roots()) {
      try (Stream<Path> files = Files.walk(root)) {
        Optional<Path> hit =
            files
                .filter(p -> p.getFileName().toString().endsWith(suffix))
                .min(Comparator.comparing(Path::toString));
        if (hit.isPresent()) {
          return hit;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return Optional.empty();
  }

  private static Stream<Path> candidates() {
    String testdata = System.getProperty("leakwatch.testdata");
    String shared = System.getProperty("leakwatch.shared.corpus");
    return Stream.of(
            testdata == null ? null : Path.of(testdata, "corpus"),
            shared == null ? null : Path.of(shared))
        .filter(p -> p != null && Files.isDirectory(p));
  }

  private static Iterable<Path> roots() {
    return candidates()::iterator;
  }
}
