package dev.leakwatch.pprof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.pprof.testing.GoTool;
import dev.leakwatch.pprof.testing.ProfileFixtures;
import dev.leakwatch.pprof.testing.SharedCorpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProfileWriterTest {

  @ParameterizedTest
  @ValueSource(strings = {"heap", "goroutine", "allocs"})
  void shouldDecodeWhatItWroteToAnEqualProfile(String type) {
    for (Path file : List.of(ProfileFixtures.largest(type), ProfileFixtures.series(type).get(0))) {
      Profile original = ProfileDecoder.decode(SharedCorpus.read(file));
      byte[] written = ProfileWriter.write(original);
      Profile again = ProfileDecoder.decode(written);
      assertNotSame(original, again);
      assertEquals(original, again, file.toString());
      assertEquals(original, ProfileDecoder.decode(ProfileWriter.writeUncompressed(original)));
      for (int i = 0; i < original.samples().size(); i++) {
        assertEquals(original.samples().get(i).stack(), again.samples().get(i).stack());
      }
      assertTrue(ProfileSniffer.sniff(written).isProfile());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"heap", "goroutine"})
  void shouldWriteAFileThatGoToolPprofReadsLikeTheOriginal(String type, @TempDir Path tmp)
      throws Exception {
    GoTool.assumeAvailable();
    Path original = ProfileFixtures.largest(type);
    Path copy = tmp.resolve("roundtrip.pb.gz");
    Files.write(copy, ProfileWriter.write(ProfileDecoder.decode(Files.readAllBytes(original))));
    // Same header (same mapping, time, type), same totals, same rows.
    assertEquals(GoTool.pprof(List.of("-top", original.toString())),
        GoTool.pprof(List.of("-top", copy.toString())));
  }
}
