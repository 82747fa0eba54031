package dev.leakwatch.pprof;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.pprof.testing.GoTool;
import dev.leakwatch.pprof.testing.ProfileFixtures;
import dev.leakwatch.pprof.testing.SharedCorpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileDiffTest {

  private static Path base() {
    return ProfileFixtures.series("heap").get(0);
  }

  private static Path target() {
    List<Path> s = ProfileFixtures.series("heap");
    return s.get(s.size() - 1);
  }

  @Test
  void shouldNetToTargetMinusBaseForEverySampleType() {
    Profile base = ProfileDecoder.decode(SharedCorpus.read(base()));
    Profile target = ProfileDecoder.decode(SharedCorpus.read(target()));
    Profile diff = ProfileDiff.diff(base, target);
    for (int i = 0; i < diff.sampleTypes().size(); i++) {
      final int si = i;
      long net = diff.samples().stream().mapToLong(s -> s.value(si)).sum();
      assertEquals(target.totalValue(i) - base.totalValue(i), net);
    }
    assertTrue(diff.samples().stream()
        .filter(s -> s.labels().containsKey(Top.DIFF_BASE_LABEL))
        .allMatch(s -> s.values()[0] <= 0 && s.values()[3] <= 0));
  }

  @Test
  void shouldBeEmptyWhenAProfileIsDiffedWithItself() {
    Profile p = ProfileDecoder.decode(SharedCorpus.read(target()));
    Profile diff = ProfileDiff.diff(p, p);
    Profile netted = ProfileMerge.merge(List.of(diff.toBuilder().samples(diff.samples().stream()
        .map(s -> new Sample(s.values(), s.locations(), java.util.Map.of(), s.numLabels(),
            s.numUnits())).toList()).build()));
    assertTrue(netted.samples().isEmpty(), "every stack cancels out");
  }

  @Test
  void shouldRejectDiffOfDifferentKinds() {
    Profile heap = ProfileDecoder.decode(SharedCorpus.read(target()));
    Profile goroutine = ProfileDecoder.decode(ProfileFixtures.largestBytes("goroutine"));
    IncompatibleProfilesException e = assertThrows(IncompatibleProfilesException.class,
        () -> ProfileDiff.diff(goroutine, heap));
    assertTrue(e.getMessage().startsWith("cannot diff: base has"), e.getMessage());
  }

  @Test
  void shouldReportTheSameTopAsGoToolPprofDiffBase() {
    GoTool.assumeAvailable();
    Profile diff = ProfileDiff.diff(ProfileDecoder.decode(SharedCorpus.read(base())),
        ProfileDecoder.decode(SharedCorpus.read(target())));
    for (String type : List.of("inuse_space", "alloc_objects")) {
      String expected = GoTool.pprof(List.of("-top", "-sample_index=" + type,
          "-diff_base=" + base(), target().toString()));
      TopOptions o = TopOptions.defaults().withSampleIndex(diff.sampleIndex(type));
      assertEquals(expected, Top.of(diff, o).render(), type);
    }
  }

  @Test
  void shouldWriteADiffThatGoToolPprofReadsWithTheSameTop(@TempDir Path tmp) throws Exception {
    GoTool.assumeAvailable();
    Path out = tmp.resolve("diff.pb.gz");
    Files.write(out, ProfileWriter.write(ProfileDiff.diff(
        ProfileDecoder.decode(SharedCorpus.read(base())),
        ProfileDecoder.decode(SharedCorpus.read(target())))));
    assertEquals(
        GoTool.pprof(List.of("-top", "-diff_base=" + base(), target().toString())),
        GoTool.pprof(List.of("-top", out.toString())));
  }

  @Test
  void shouldWriteADiffWhoseSignedSamplesGoToolPprofSumsAsItsOwnDiffBase(@TempDir Path tmp)
      throws Exception {
    GoTool.assumeAvailable();
    Profile base = ProfileDecoder.decode(SharedCorpus.read(base()));
    Profile target = ProfileDecoder.decode(SharedCorpus.read(target()));
    Path out = tmp.resolve("diff.pb.gz");
    Files.write(out, ProfileWriter.write(ProfileDiff.diff(base, target)));

    long[] ours = GoTool.rawTotals(List.of(out.toString()));
    assertArrayEquals(GoTool.rawTotals(List.of("-diff_base=" + base(), target().toString())), ours);
    for (int i = 0; i < ours.length; i++) {
      assertEquals(target.totalValue(i) - base.totalValue(i), ours[i],
          target.sampleTypes().get(i).toString());
    }
  }
}
