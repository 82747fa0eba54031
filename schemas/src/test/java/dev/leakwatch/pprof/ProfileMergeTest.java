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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileMergeTest {

  private static List<Path> threeHeaps() {
    List<Path> series = ProfileFixtures.series("heap");
    return List.of(series.get(0), series.get(series.size() / 2), series.get(series.size() - 1));
  }

  private static List<Profile> decodeAll(List<Path> files) {
    return files.stream().map(f -> ProfileDecoder.decode(SharedCorpus.read(f))).toList();
  }

  @Test
  void shouldSumTotalsOfEverySampleType() {
    List<Profile> in = decodeAll(threeHeaps());
    Profile merged = ProfileMerge.merge(in);
    for (int i = 0; i < merged.sampleTypes().size(); i++) {
      final int si = i;
      long expected = in.stream().mapToLong(p -> p.totalValue(si)).sum();
      assertEquals(expected, merged.totalValue(i), merged.sampleTypes().get(i).toString());
    }
  }

  @Test
  void shouldMergeIdenticalStacksIntoOneSample() {
    Profile p = ProfileDecoder.decode(ProfileFixtures.largestBytes("heap"));
    Profile once = ProfileMerge.merge(List.of(p));
    Profile twice = ProfileMerge.merge(List.of(p, p));
    assertEquals(once.samples().size(), twice.samples().size());
    for (int s = 0; s < once.samples().size(); s++) {
      for (int i = 0; i < p.sampleTypes().size(); i++) {
        assertEquals(2 * once.samples().get(s).value(i), twice.samples().get(s).value(i));
      }
      assertEquals(once.samples().get(s).stack(), twice.samples().get(s).stack());
    }
    assertEquals(p.period(), twice.period(), "period is the largest, not a sum");
  }

  @Test
  void shouldCombineHeadersAsPprofDoes() {
    List<Profile> in = decodeAll(threeHeaps());
    Profile merged = ProfileMerge.merge(in);
    assertEquals(in.stream().mapToLong(Profile::timeNanos).min().orElseThrow(), merged.timeNanos());
    assertEquals(in.stream().mapToLong(Profile::period).max().orElseThrow(), merged.period());
    assertEquals(in.stream().mapToLong(Profile::durationNanos).sum(), merged.durationNanos());
    assertEquals(in.get(0).sampleTypes(), merged.sampleTypes());
    assertEquals(in.get(0).defaultSampleIndex(), merged.defaultSampleIndex());
  }

  @Test
  void shouldRejectProfilesOfDifferentKindsNamingBothTypes() {
    Profile heap = ProfileDecoder.decode(ProfileFixtures.largestBytes("heap"));
    Profile goroutine = ProfileDecoder.decode(ProfileFixtures.largestBytes("goroutine"));
    IncompatibleProfilesException e = assertThrows(IncompatibleProfilesException.class,
        () -> ProfileMerge.merge(List.of(heap, goroutine)));
    assertTrue(e.getMessage().contains("profile 1"), e.getMessage());
    assertTrue(e.getMessage().contains("goroutine/count"), e.getMessage());
    assertTrue(e.getMessage().contains("inuse_space/bytes"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ProfileMerge.merge(List.of()));
  }

  @Test
  void shouldReportTheSameTopAsGoToolPprofWithSeveralFiles() {
    GoTool.assumeAvailable();
    List<Path> files = threeHeaps();
    List<String> args = new ArrayList<>(List.of("-top", "-sample_index=alloc_space"));
    files.forEach(f -> args.add(f.toString()));
    Profile merged = ProfileMerge.merge(decodeAll(files));
    TopOptions o = TopOptions.defaults().withSampleIndex(merged.sampleIndex("alloc_space"));
    assertEquals(GoTool.pprof(args), Top.of(merged, o).render());
  }

  @Test
  void shouldWriteAMergedFileThatGoToolPprofReadsWithTheSameTotals(@TempDir Path tmp)
      throws Exception {
    GoTool.assumeAvailable();
    List<Path> files = threeHeaps();
    Path out = tmp.resolve("merged.pb.gz");
    Files.write(out, ProfileWriter.write(ProfileMerge.merge(decodeAll(files))));
    List<String> direct = new ArrayList<>(List.of("-top"));
    files.forEach(f -> direct.add(f.toString()));
    assertEquals(GoTool.pprof(direct), GoTool.pprof(List.of("-top", out.toString())));
  }

  @Test
  void shouldWriteMergedFilesWhoseSamplesGoToolPprofSumsAsTheOriginals(@TempDir Path tmp)
      throws Exception {
    GoTool.assumeAvailable();
    List<Path> goroutines = ProfileFixtures.series("goroutine");
    for (List<Path> files : List.of(threeHeaps(),
        List.of(goroutines.get(0), goroutines.get(goroutines.size() / 2),
            goroutines.get(goroutines.size() - 1)))) {
      Path out = tmp.resolve("merged.pb.gz");
      Files.write(out, ProfileWriter.write(ProfileMerge.merge(decodeAll(files))));

      assertArrayEquals(GoTool.rawTotals(files.stream().map(Path::toString).toList()),
          GoTool.rawTotals(List.of(out.toString())), "every sample type's total, " + files);
    }
  }
}
