package dev.leakwatch.pprof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compares {@link TopReport} with the {@code go tool pprof -top} outputs recorded by the fixtures
 * ({@code testdata/golden/*.top.txt}, listed in {@code files.txt}): single files, a {@code
 * -diff_base} and multi-file merges, every sample type, with and without {@code -nodecount=10}.
 *
 * <p>Every row, the totals line ("Showing nodes accounting for ..."), the dropped-nodes and top-N
 * lines, the column header and the {@code File:}/{@code Type:} lines must be identical. Only the
 * {@code Time:} line is left out: pprof prints it in the recording machine's local time zone.
 */
class TopGoldenTest {

  static Stream<Arguments> goldens() throws IOException {
    String testdata = System.getProperty("leakwatch.testdata");
    Path golden = testdata == null ? null : Path.of(testdata, "golden");
    assumeTrue(golden != null && Files.exists(golden.resolve("files.txt")),
        "no golden outputs in " + golden);
    List<Arguments> out = new ArrayList<>();
    for (String line : Files.readAllLines(golden.resolve("files.txt"))) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] cols = line.split("\t");
      List<Path> files = Stream.of(cols[2].trim().split(" "))
          .map(f -> Path.of(testdata).resolve(f)).toList();
      try (Stream<Path> outputs = Files.list(golden)) {
        for (Path g : outputs.filter(p -> p.getFileName().toString().startsWith(cols[0] + "__"))
            .sorted().toList()) {
          out.add(Arguments.of(g.getFileName().toString(), cols[1], files, g));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldens")
  void shouldMatchGoToolPprofTopOutput(String name, String kind, List<Path> files, Path golden)
      throws IOException {
    String[] parts = name.substring(0, name.length() - ".top.txt".length()).split("__");
    String sampleType = parts[1];
    int nodeCount = parts.length > 2 && parts[2].equals("n10") ? 10 : 0;
    List<Profile> profiles = files.stream().map(TopGoldenTest::decode).toList();
    Profile p = switch (kind) {
      case "single" -> profiles.get(0);
      case "diff" -> ProfileDiff.diff(profiles.get(0), profiles.get(1));
      case "merge" -> ProfileMerge.merge(profiles);
      default -> throw new AssertionError("unknown golden kind " + kind);
    };
    TopOptions options = TopOptions.defaults()
        .withSampleIndex(Top.sampleIndex(p, sampleType))
        .withNodeCount(nodeCount);
    List<String> expected = withoutTime(Files.readAllLines(golden));
    List<String> actual = withoutTime(Top.of(p, options).render().lines().toList());
    assertTrue(expected.size() > 5, "golden has rows");
    assertEquals(expected, actual);
  }

  private static List<String> withoutTime(List<String> lines) {
    return lines.stream().filter(l -> !l.startsWith("Time: ")).toList();
  }

  private static Profile decode(Path file) {
    try {
      return ProfileDecoder.decode(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
