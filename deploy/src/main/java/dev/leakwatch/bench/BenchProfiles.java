package dev.leakwatch.bench;

import dev.leakwatch.pprof.ProfileDecoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A named set of recorded Go heap profiles (gzip'd, as served) that the benchmarks replay, as one or
 * more capture sequences. Each sequence comes from one Go process in capture order, so its cumulative
 * allocation counters only grow: replayed in order, the detector keeps it as one series.
 *
 * <p>Sets, all under the {@code testdata} directory:
 * <ul>
 *   <li>{@value #TYPICAL}: the corpus' busy heap profiles ({@code corpus/N_profile-heavy}, both replicas,
 *       35 captures each, ~500 samples and ~12.5 KB gzip'd on average);
 *   <li>{@value #LEAKING}: a heap leak ({@code corpus/G_session-store/replica-1}, 35 captures of one
 *       process, leaking ~160 KiB/s from the 6th on), for the suspect events of the end-to-end run;
 *   <li>{@code sites-300}, {@code sites-1200}, {@code sites-4800}: goleaker's wide-sites scenario at 1x,
 *       4x and 16x allocation sites ({@code bench/sites-N}, one sequence of 50 captures, recorded by
 *       {@code testdata/bench/record.sh}).
 * </ul>
 *
 * @param name the set's name
 * @param sequences capture sequences, each non-empty, each in capture order
 * @param files the files the profiles were read from, sequence after sequence
 */
public record BenchProfiles(String name, List<List<byte[]>> sequences, List<Path> files) {

  /** The corpus' typical busy heap profiles. */
  public static final String TYPICAL = "typical";
  /** A recorded heap leak. */
  public static final String LEAKING = "leaking";
  /** The scaling sets, 1x, 4x and 16x sites. */
  public static final List<String> SCALES = List.of("sites-300", "sites-1200", "sites-4800");

  public BenchProfiles {
    Objects.requireNonNull(name, "name");
    if (sequences.isEmpty() || sequences.stream().anyMatch(List::isEmpty)) {
      throw new IllegalArgumentException("profile set " + name + " has an empty sequence");
    }
    sequences = sequences.stream().map(List::copyOf).toList();
    files = List.copyOf(files);
  }

  /**
   * Loads a set by name from {@code testdata}.
   *
   * @throws IllegalArgumentException for an unknown name or a set whose files are missing
   */
  public static BenchProfiles load(Path testdata, String name) {
    List<Path> dirs;
    if (TYPICAL.equals(name)) {
      Path scenario = testdata.resolve("corpus").resolve("N_profile-heavy");
      dirs = List.of(scenario.resolve("replica-0"), scenario.resolve("replica-1"));
    } else if (LEAKING.equals(name)) {
      dirs = List.of(testdata.resolve("corpus").resolve("G_session-store").resolve("replica-1"));
    } else if (SCALES.contains(name)) {
      dirs = List.of(testdata.resolve("bench").resolve(name));
    } else {
      throw new IllegalArgumentException("unknown profile set '" + name + "'; one of " + TYPICAL + ", " + LEAKING + ", "
          + String.join(", ", SCALES));
    }
    List<List<byte[]>> sequences = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    for (Path dir : dirs) {
      List<Path> heap = heapFiles(dir);
      files.addAll(heap);
      sequences.add(heap.stream().map(BenchProfiles::read).toList());
    }
    return new BenchProfiles(name, sequences, files);
  }

  /** The {@code testdata} directory: system property {@code leakwatch.testdata}, else {@code $LEAKWATCH_HOME/testdata}, else {@code ./testdata}. */
  public static Path defaultTestdata() {
    String prop = System.getProperty("leakwatch.testdata");
    if (prop != null) {
      return Path.of(prop);
    }
    String home = System.getenv("LEAKWATCH_HOME");
    return Path.of(home != null ? home : ".", "testdata").toAbsolutePath().normalize();
  }

  /** Profile {@code index} of sequence {@code seq}, both wrapping around. */
  public byte[] profile(int seq, int index) {
    List<byte[]> s = sequences.get(Math.floorMod(seq, sequences.size()));
    return s.get(Math.floorMod(index, s.size()));
  }

  /** Every profile, sequence after sequence. */
  public List<byte[]> all() {
    return sequences.stream().flatMap(List::stream).toList();
  }

  /** Length of the shortest sequence: how many captures an instance can replay without a restart. */
  public int shortestSequence() {
    return sequences.stream().mapToInt(List::size).min().orElseThrow();
  }

  /** Mean number of samples per profile (decoded with the default limits). */
  public double meanSamples() {
    return all().stream().mapToInt(b -> ProfileDecoder.decode(b).samples().size()).average().orElseThrow();
  }

  /** Mean gzip'd size, bytes. */
  public double meanBytes() {
    return all().stream().mapToInt(b -> b.length).average().orElseThrow();
  }

  /** {@code count} files spread evenly over the set (all of them when it has fewer). */
  public List<Path> sampleFiles(int count) {
    if (files.size() <= count) {
      return files;
    }
    List<Path> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(files.get(i * files.size() / count));
    }
    return out;
  }

  private static List<Path> heapFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("no recorded profiles at " + dir
          + " (run from the repository root, or record them with testdata/bench/record.sh)");
    }
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> heap = files.filter(f -> f.getFileName().toString().endsWith("-heap.pb.gz")).sorted().toList();
      if (heap.isEmpty()) {
        throw new IllegalArgumentException("no *-heap.pb.gz files in " + dir);
      }
      return heap;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  /** The bytes of {@code file}. */
  public static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
