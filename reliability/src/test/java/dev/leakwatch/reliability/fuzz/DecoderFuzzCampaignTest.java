package dev.leakwatch.reliability.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The fuzz campaign: 120,000 generated and mutated inputs, grown from the recorded Go profiles,
 * against the pprof decoder (two sets of limits), the envelope deserializer and the processor's
 * whole decode stage. Runs in a forked JVM with a 128 MiB heap, so an input that made a decoder
 * allocate beyond its limits would fail as an {@link OutOfMemoryError}. Seeded: {@code
 * -Dleakwatch.fuzz.seed=N} replays a run, the seed is printed with each report. See
 * docs/RELIABILITY.md.
 */
@Tag("fuzz")
@Tag("campaign")
class DecoderFuzzCampaignTest {

  /** Far above any decode of these sizes (milliseconds): only a hang reaches it. */
  private static final Duration PER_INPUT_BOUND = Duration.ofSeconds(10);
  private static final Path FAILURES = Path.of("target", "fuzz-failures");

  private static FuzzInputs inputs;

  @BeforeAll
  static void seeds() {
    inputs = new FuzzInputs();
  }

  private static long seed(long salt) {
    return Long.getLong("leakwatch.fuzz.seed", 20261126L) * 31 + salt;
  }

  private static void assertSurvived(FuzzCampaign.Report report, int iterations, int minClasses) {
    System.out.println(report.summary());
    System.out.println("recorded " + FuzzCorpus.recordIfAsked(report) + " new corpus entries");
    assertTrue(report.failures().isEmpty(), report.summary());
    assertEquals(iterations, report.inputs(), "every input ran");
    // a mutator that stopped producing variety would make the campaign pass vacuously
    assertTrue(report.classes().size() >= minClasses, "only " + report.classes().size() + " outcome classes");
  }

  @Test
  void shouldDecodeOrRejectWithTypedErrorEveryMutatedProfileUnderServiceLimits() {
    int n = 40_000;
    FuzzCampaign.Report r = FuzzCampaign.run(PprofDecoderTarget.byName("pprof-service"), seed(1), n,
        PER_INPUT_BOUND, inputs::profile, FAILURES);
    assertSurvived(r, n, 20);
  }

  @Test
  void shouldRejectEveryLimitBreachWithItsLimitNamedUnderTightLimits() {
    int n = 40_000;
    FuzzCampaign.Report r = FuzzCampaign.run(PprofDecoderTarget.byName("pprof-tight"), seed(2), n,
        PER_INPUT_BOUND, inputs::profile, FAILURES);
    assertSurvived(r, n, 20);
  }

  @Test
  void shouldDeserializeOrThrowSerializationExceptionForEveryMutatedEnvelope() {
    int n = 25_000;
    FuzzCampaign.Report r = FuzzCampaign.run(new EnvelopeSerdeTarget(), seed(3), n,
        PER_INPUT_BOUND, inputs::envelope, FAILURES);
    assertSurvived(r, n, 10);
  }

  @Test
  void shouldTurnEveryHostileRecordIntoDecodedProfileOrDeadLetterWithoutThrowing() {
    int n = 15_000;
    FuzzCampaign.Report r = FuzzCampaign.run(new EnvelopeDecoderTarget(), seed(4), n,
        PER_INPUT_BOUND, inputs::record, FAILURES);
    assertSurvived(r, n, 20);
  }
}
