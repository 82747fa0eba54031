package dev.leakwatch.pprof;

import dev.leakwatch.pprof.testing.ProfileFixtures;
import dev.leakwatch.pprof.testing.ProfileProtoRules;
import dev.leakwatch.pprof.testing.SharedCorpus;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What {@link ProfileWriter} writes for single, merged and diff profiles of the recorded corpus
 * holds to profile.proto's rules ({@link ProfileProtoRules}), read without the codec's decoder.
 */
class WrittenProfileInvariantsTest {

  private static Profile decode(Path file) {
    return ProfileDecoder.decode(SharedCorpus.read(file));
  }

  static Stream<Arguments> written() {
    List<Path> heaps = ProfileFixtures.series("heap");
    List<Path> goroutines = ProfileFixtures.series("goroutine");
    Profile firstHeap = decode(heaps.get(0));
    Profile lastHeap = decode(heaps.get(heaps.size() - 1));
    return Stream.of(
        Arguments.of("single heap", decode(ProfileFixtures.largest("heap"))),
        Arguments.of("single allocs", decode(ProfileFixtures.largest("allocs"))),
        Arguments.of("merged heaps", ProfileMerge.merge(
            List.of(firstHeap, decode(heaps.get(heaps.size() / 2)), lastHeap))),
        Arguments.of("merged goroutines", ProfileMerge.merge(List.of(decode(goroutines.get(0)),
            decode(goroutines.get(goroutines.size() - 1))))),
        Arguments.of("heap diff", ProfileDiff.diff(firstHeap, lastHeap)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("written")
  void shouldHoldToProfileProtosRulesWhenWritten(String name, Profile profile) {
    ProfileProtoRules.assertHolds(ProfileWriter.write(profile));
  }
}
