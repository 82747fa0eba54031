package dev.leakwatch.topology.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.leakwatch.detect.StateFormatException;
import dev.leakwatch.detect.TestCorpora;
import dev.leakwatch.detect.site.ProfileStacks;
import dev.leakwatch.detect.state.StateWriter;
import dev.leakwatch.pprof.Profile;
import dev.leakwatch.pprof.Sample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Window contributions from real Go profile sequences, against the plain extraction
 * ({@link ReferenceContributionExtractor}): the same stacks, values, deltas, frames to ship and
 * stored snapshot, capture after capture, with and without the stack cap biting.
 */
class ContributionExtractorTest {

  private static final long INTERVAL_MS = 30_000;

  @Test
  void shouldContributeExactlyWhatThePlainExtractionDoesOverEveryRecordedSequence() throws IOException {
    List<List<Path>> sequences = sequences();
    assertTrue(sequences.size() > 20, "expected the recorded corpus, found " + sequences.size() + " sequences");
    int compared = 0;
    for (int maxStacks : new int[] {1000, 40}) {
      for (long reshipAfter : new long[] {5 * INTERVAL_MS, 0}) {
        for (List<Path> files : sequences) {
          compared += compare(files, maxStacks, reshipAfter);
        }
      }
    }
    assertTrue(compared > 1000, "compared " + compared + " captures");
  }

  @Test
  void shouldReadBackTheSnapshotItStored() throws IOException {
    List<Path> files = sequences().get(0);
    ContributionExtractor extractor = new ContributionExtractor(1000, Long.MAX_VALUE);
    Profile p = TestCorpora.decode(files.get(files.size() - 1));
    InstanceSnapshot s = extractor.extract("i", isGoroutine(files.get(0)), 1234, ProfileStacks.of(p), null, false).snapshot();
    InstanceSnapshot back = InstanceSnapshot.fromBytes(s.toBytes());
    assertEquals(s, back);
    assertEquals(1234, back.captureMs());
    assertTrue(back.size() > 0);
  }

  @Test
  void shouldRejectAStoredSnapshotThatRepeatsAStack() {
    byte[] bytes = new StateWriter().writeByte('L').writeByte('I').writeByte(1).writeSignedVarLong(5)
        .writeVarInt(2).writeFixed64(7).writeVarLong(1).writeVarLong(2)
        .writeFixed64(7).writeVarLong(3).writeVarLong(4).toByteArray();
    StateFormatException e = assertThrows(StateFormatException.class, () -> InstanceSnapshot.fromBytes(bytes));
    assertTrue(e.getMessage().contains("appears twice"), e.getMessage());
  }

  private static int compare(List<Path> files, int maxStacks, long reshipAfter) {
    ContributionExtractor fast = new ContributionExtractor(maxStacks, reshipAfter);
    ReferenceContributionExtractor plain = new ReferenceContributionExtractor(maxStacks, reshipAfter);
    boolean goroutine = isGoroutine(files.get(0));
    InstanceSnapshot previous = null;
    ReferenceContributionExtractor.Snapshot previousPlain = null;
    long lastAllocObjects = -1;
    for (int i = 0; i < files.size(); i++) {
      Profile p = TestCorpora.decode(files.get(i));
      long captureMs = 1_700_000_000_000L + i * INTERVAL_MS;
      long allocObjects = goroutine ? -1 : total(p, "alloc_objects");
      boolean restarted = allocObjects >= 0 && lastAllocObjects >= 0 && allocObjects < lastAllocObjects;
      lastAllocObjects = allocObjects;
      ContributionExtractor.Extraction got = fast.extract("inst", goroutine, captureMs, ProfileStacks.of(p), previous, restarted);
      ReferenceContributionExtractor.Extraction want =
          plain.extract("inst", goroutine, captureMs, p, previousPlain, restarted);
      String where = files.get(i) + " (maxStacks " + maxStacks + ", reship after " + reshipAfter + " ms)";
      WindowContribution w = want.contribution();
      WindowContribution g = got.contribution();
      assertEquals(byId(w.stacks()), byId(g.stacks()), where + ": stack values (windows add them up by id)");
      assertEquals(w.stacks().size(), g.stacks().size(), where);
      assertEquals(w.newStacks(), g.newStacks(), where + ": frames shipped");
      assertEquals(List.of(w.instance(), w.goroutine(), w.captureMs()), List.of(g.instance(), g.goroutine(), g.captureMs()));
      assertEquals(want.snapshot().captureMs(), got.snapshot().captureMs(), where);
      assertEquals(asMap(want.snapshot().cumulative()), asMap(got.snapshot()), where + ": stored snapshot");
      previous = InstanceSnapshot.fromBytes(got.snapshot().toBytes());
      previousPlain = want.snapshot();
    }
    return files.size();
  }

  private static Map<Long, StackValues> byId(List<StackValues> values) {
    Map<Long, StackValues> out = new HashMap<>();
    values.forEach(v -> out.put(v.stackId(), v));
    return out;
  }

  private static Map<Long, List<Long>> asMap(Map<Long, long[]> cumulative) {
    Map<Long, List<Long>> out = new HashMap<>();
    cumulative.forEach((id, v) -> out.put(id, List.of(v[0], v[1])));
    return out;
  }

  private static Map<Long, List<Long>> asMap(InstanceSnapshot s) {
    Map<Long, List<Long>> out = new HashMap<>();
    for (int i = 0; i < s.size(); i++) {
      assertEquals(i, s.indexOf(s.stackId(i)));
      out.put(s.stackId(i), List.of(s.allocObjects(i), s.allocBytes(i)));
    }
    return out;
  }

  private static long total(Profile p, String type) {
    int index = p.sampleIndex(type);
    long sum = 0;
    for (Sample s : p.samples()) {
      sum += s.value(index);
    }
    return sum;
  }

  private static boolean isGoroutine(Path file) {
    return file.getFileName().toString().endsWith("-goroutine.pb.gz");
  }

  /** Every replica's heap sequence and goroutine sequence, files in capture order. */
  private static List<List<Path>> sequences() throws IOException {
    String root = System.getProperty("leakwatch.testdata");
    assumeTrue(root != null, "leakwatch.testdata not set");
    List<Path> replicas;
    try (Stream<Path> walk = Files.walk(Path.of(root, "corpus"))) {
      replicas = walk.filter(p -> p.getFileName().toString().startsWith("replica-")).sorted().toList();
    }
    List<List<Path>> out = new java.util.ArrayList<>();
    for (Path replica : replicas) {
      for (String suffix : new String[] {"-heap.pb.gz", "-goroutine.pb.gz"}) {
        try (Stream<Path> files = Files.list(replica)) {
          List<Path> seq = files.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().toList();
          if (!seq.isEmpty()) {
            out.add(seq);
          }
        }
      }
    }
    return out;
  }
}
