package dev.leakwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.leakwatch.pprof.Profile;
import dev.leakwatch.pprof.ProfileDecoder;
import dev.leakwatch.pprof.testing.ProfileFixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code leakwatch pprof} end to end through the real command line: output compared with the
 * golden {@code go tool pprof -top} outputs recorded by the fixtures (without the time-zone
 * dependent {@code Time:} line), bad files rejected with exit code 2 and the decoder's reason.
 */
class PprofCommandTest {

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cl = LeakwatchCli.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private static Path testdata() {
    String p = System.getProperty("leakwatch.testdata");
    assumeTrue(p != null && Files.isDirectory(Path.of(p, "golden")), "no golden outputs");
    return Path.of(p);
  }

  private static List<String> withoutTime(String text) {
    return text.lines().filter(l -> !l.startsWith("Time: ")).toList();
  }

  @Test
  void shouldPrintTheSameTopAsGoToolPprof() throws Exception {
    Path td = testdata();
    Path file = td.resolve("corpus/G_session-store/replica-1/0034-heap.pb.gz");
    Run r = run("pprof", "top", file.toString(), "--sample-index", "alloc_space", "--nodecount",
        "10");
    assertEquals(0, r.exit(), r.err());
    assertEquals(withoutTime(Files.readString(
        td.resolve("golden/G-r1-heap-rate65536__alloc_space__n10.top.txt"))), withoutTime(r.out()));
  }

  @Test
  void shouldPrintTheSameDiffAsGoToolPprofDiffBase() throws Exception {
    Path td = testdata();
    Run r = run("pprof", "diff",
        td.resolve("corpus/G_session-store/replica-1/0005-heap.pb.gz").toString(),
        td.resolve("corpus/G_session-store/replica-1/0034-heap.pb.gz").toString(),
        "--sample-index=inuse_space");
    assertEquals(0, r.exit(), r.err());
    assertEquals(withoutTime(Files.readString(
        td.resolve("golden/G-r1-heap-diff-early-late__inuse_space.top.txt"))), withoutTime(r.out()));
  }

  @Test
  void shouldWriteAMergedProfileWhoseTopMatchesGoToolPprofOnTheInputs(@TempDir Path tmp)
      throws Exception {
    Path td = testdata();
    Path out = tmp.resolve("merged.pb.gz");
    Run merge = run("pprof", "merge", "-o", out.toString(),
        td.resolve("corpus/H_push-worker/replica-0/0034-goroutine.pb.gz").toString(),
        td.resolve("corpus/H_push-worker/replica-1/0034-goroutine.pb.gz").toString());
    assertEquals(0, merge.exit(), merge.err());
    Profile merged = ProfileDecoder.decode(Files.readAllBytes(out));
    assertTrue(merged.samples().size() > 0);
    Run top = run("pprof", "top", out.toString());
    assertEquals(withoutTime(Files.readString(
        td.resolve("golden/H-goroutine-merged-replicas__goroutine.top.txt"))),
        withoutTime(top.out()));
  }

  @Test
  void shouldExitWithCode2AndTheDecoderReasonForATruncatedFile(@TempDir Path tmp)
      throws Exception {
    byte[] gz = ProfileFixtures.largestBytes("heap");
    Path bad = tmp.resolve("truncated.pb.gz");
    Files.write(bad, Arrays.copyOf(gz, gz.length / 2));
    Run r = run("pprof", "top", bad.toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains(bad + ": gzip stream of " + gz.length / 2 + " bytes ends early"),
        r.err());
    assertTrue(r.err().contains("TRUNCATED_GZIP"), r.err());
    assertEquals("", r.out());
  }

  @Test
  void shouldExitWithCode2ForAMissingFileAnEmptyFileAndAnUnknownSampleType(@TempDir Path tmp)
      throws Exception {
    Run missing = run("pprof", "top", tmp.resolve("nope.pb.gz").toString());
    assertEquals(2, missing.exit());
    assertTrue(missing.err().contains("no such file"), missing.err());

    Path empty = Files.write(tmp.resolve("empty.pb.gz"), new byte[0]);
    Run e = run("pprof", "top", empty.toString());
    assertEquals(2, e.exit());
    assertTrue(e.err().contains("EMPTY_INPUT"), e.err());

    Path heap = Files.write(tmp.resolve("heap.pb.gz"), ProfileFixtures.largestBytes("heap"));
    Run unknown = run("pprof", "top", heap.toString(), "--sample-index", "goroutine");
    assertEquals(2, unknown.exit());
    assertTrue(unknown.err().contains("must be one of: [alloc_objects, alloc_space, "
        + "inuse_objects, inuse_space]"), unknown.err());
  }

  @Test
  void shouldRefuseToMergeProfilesOfDifferentKindsAndLeaveNoOutput(@TempDir Path tmp)
      throws Exception {
    Path heap = Files.write(tmp.resolve("heap.pb.gz"), ProfileFixtures.largestBytes("heap"));
    Path gr = Files.write(tmp.resolve("g.pb.gz"), ProfileFixtures.largestBytes("goroutine"));
    Path out = tmp.resolve("out.pb.gz");
    Run r = run("pprof", "merge", "-o", out.toString(), heap.toString(), gr.toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().startsWith("leakwatch pprof merge: " + gr + " has sample types [goroutine/count] but "
        + heap + " has [alloc_objects/count"), r.err());
    assertTrue(Files.notExists(out));
  }

  @Test
  void shouldNameBothFilesWhenADiffIsAskedOfProfilesOfDifferentKinds(@TempDir Path tmp) throws Exception {
    Path heap = Files.write(tmp.resolve("heap.pb.gz"), ProfileFixtures.largestBytes("heap"));
    Path gr = Files.write(tmp.resolve("g.pb.gz"), ProfileFixtures.largestBytes("goroutine"));

    Run r = run("pprof", "diff", heap.toString(), gr.toString());

    assertEquals(2, r.exit());
    assertTrue(r.err().startsWith("leakwatch pprof diff: cannot diff " + gr + " against " + heap
        + ": base has sample types [alloc_objects/count"), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
  }

  @Test
  void shouldExitWithCode2NamingTheMissingDirectoryOfTheOutput(@TempDir Path tmp) throws Exception {
    Path heap = Files.write(tmp.resolve("heap.pb.gz"), ProfileFixtures.largestBytes("heap"));
    Path out = tmp.resolve("nonexistent-dir/x.pb.gz");
    Run r = run("pprof", "merge", "-o", out.toString(), heap.toString());
    assertEquals(2, r.exit(), r.err());
    assertEquals("leakwatch pprof merge: cannot write " + out + ": directory " + out.getParent()
        + " does not exist", r.err().trim());
  }
}
