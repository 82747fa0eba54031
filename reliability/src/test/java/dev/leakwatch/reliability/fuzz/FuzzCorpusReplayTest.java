package dev.leakwatch.reliability.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.pprof.ProfileDecodeException;
import dev.leakwatch.pprof.ProfileDecodeException.Reason;
import dev.leakwatch.pprof.ProfileDecoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays the kept fuzz corpus ({@code testdata/fuzz/<target>/}) on every build, under the same
 * contracts and watchdog as the campaign: each input decodes or is rejected with the typed error,
 * and nothing hangs. The pprof inputs are also judged by google/pprof's own parser: whatever it
 * rejects, our decoder must reject too.
 */
@Tag("fuzz")
class FuzzCorpusReplayTest {

  private static final Duration PER_INPUT_BOUND = Duration.ofSeconds(10);
  private static Map<Path, String> goVerdicts;

  private static List<FuzzTarget> targets() {
    return List.of(PprofDecoderTarget.byName("pprof-service"), PprofDecoderTarget.byName("pprof-tight"),
        new EnvelopeSerdeTarget(), new EnvelopeDecoderTarget());
  }

  @TestFactory
  Stream<DynamicTest> shouldHandleEveryKeptInputWithinItsContract() {
    FuzzCorpus.root();
    return targets().stream().map(t -> DynamicTest.dynamicTest(t.name(), () -> {
      List<Path> files = FuzzCorpus.files(t.name());
      assertFalse(files.isEmpty(), "no kept inputs for " + t.name());
      Iterator<Path> next = files.iterator();
      FuzzCampaign.Report r = FuzzCampaign.run(t, 0, files.size(), PER_INPUT_BOUND,
          (rnd, pool) -> read(next.next()), Path.of("target", "fuzz-replay-failures"));
      assertTrue(r.failures().isEmpty(), r.summary());
      assertEquals(files.size(), r.inputs());
    }));
  }

  @Test
  void shouldRejectEveryKeptProfileThatGooglePprofParserRejects() {
    Map<Path, String> go = goVerdicts();
    List<String> acceptedButGoRejects = new ArrayList<>();
    for (Path f : go.keySet()) {
      if (go.get(f) != null && decodes(() -> ProfileDecoder.decode(read(f), PprofDecoderTarget.SERVICE))) {
        acceptedButGoRejects.add(f.getFileName() + ": Go says " + go.get(f));
      }
    }
    assertTrue(acceptedButGoRejects.isEmpty(), String.join("\n", acceptedButGoRejects));
  }

  /**
   * Where Go accepts a kept input and we do not, the reason must be one of our documented stricter
   * checks: a limit (Go has none), a default sample type that names no sample type, a location
   * naming a mapping that does not exist (Go leaves it unmapped), or a bad {@code doc_url} string
   * index (profile.proto field 15 postdates the google/pprof in Debian, which skips the field).
   */
  @Test
  void shouldRejectWhatGooglePprofParserAcceptsOnlyForLimitsAndDocumentedStricterChecks() {
    Set<Reason> stricter = EnumSet.of(Reason.BAD_DEFAULT_SAMPLE_TYPE, Reason.UNRESOLVED_MAPPING,
        Reason.COMPRESSED_TOO_LARGE, Reason.DECOMPRESSED_TOO_LARGE, Reason.TOO_MANY_SAMPLES,
        Reason.TOO_MANY_LOCATIONS, Reason.TOO_MANY_FUNCTIONS, Reason.TOO_MANY_MAPPINGS,
        Reason.TOO_MANY_STRINGS, Reason.STRING_TOO_LONG, Reason.TOO_MANY_LABELS, Reason.STACK_TOO_DEEP);
    Map<Path, String> go = goVerdicts();
    List<String> unexpected = new ArrayList<>();
    for (Path f : go.keySet()) {
      if (go.get(f) == null) {
        try {
          ProfileDecoder.decode(read(f), PprofDecoderTarget.SERVICE);
        } catch (ProfileDecodeException e) {
          boolean docUrl = e.reason() == Reason.STRING_INDEX_OUT_OF_RANGE && e.getMessage().contains("doc_url");
          if (!stricter.contains(e.reason()) && !docUrl) {
            unexpected.add(f.getFileName() + ": " + e.getMessage());
          }
        }
      }
    }
    assertTrue(unexpected.isEmpty(), "Go accepts, we reject:\n" + String.join("\n", unexpected));
  }

  /** Go's verdict on every kept pprof input (null: accepted), computed once. */
  private static synchronized Map<Path, String> goVerdicts() {
    if (goVerdicts == null) {
      List<Path> files = new ArrayList<>(FuzzCorpus.files("pprof-service"));
      files.addAll(FuzzCorpus.files("pprof-tight"));
      Map<Path, String> go = GoVerdict.judge(FuzzCorpus.root().resolve("goverdict"), files);
      assertEquals(files.size(), go.size(), "a verdict for every file");
      goVerdicts = go;
    }
    return goVerdicts;
  }

  private static boolean decodes(Supplier<?> decode) {
    try {
      decode.get();
      return true;
    } catch (ProfileDecodeException e) {
      return false;
    }
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
