package dev.leakwatch.topology;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leakwatch.http.ProcessorMetrics;
import dev.leakwatch.schemas.avro.ProfileEnvelope;
import dev.leakwatch.topology.eval.CorpusScenario;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decode stage's metrics as docs/API.md defines them, on the production topology with the
 * processor's own {@link ProcessorMetrics} as its observer: each input record counts once, in
 * {@code leakwatch_profiles_processed_total{type}} when it was decoded and validated (a duplicate or
 * an out-of-order capture too: it was, though it changes no series) or in {@code
 * leakwatch_profiles_dead_lettered_total{stage}} by the check that refused it, and once in {@code
 * leakwatch_profile_decode_seconds_count}; the audit and dead-letter topics hold the same records.
 */
class DecodeMetricsTest {

  private static final String SERVICE = "session-store";

  @TempDir Path temp;

  @Test
  void shouldCountEachInputRecordOnceByItsOutcomeWhenRecordsTakeEveryDecodePath() throws Exception {
    List<CorpusScenario.Capture> heap = Fixtures.captures(Fixtures.scenario("G"),
        c -> c.type().equals("heap") && c.instance().equals("replica-0"));
    CorpusScenario.Capture first = heap.get(0);
    CorpusScenario.Capture second = heap.get(1);
    TopologyConfig config = TopologyConfig.defaults().withLimits(TopologyConfig.defaults().decodeLimits(),
        256 * 1024, TopologyConfig.defaults().maxFutureSkew());
    try (ProcessorMetrics metrics = new ProcessorMetrics();
        TopologyHarness h = new TopologyHarness(config, Files.createTempDirectory(temp, "state"),
            Instant.ofEpochMilli(second.captureMs()).plusSeconds(3600), metrics)) {
      byte[] key = DecodedProfile.instanceKey(SERVICE, first.instance()).getBytes(StandardCharsets.UTF_8);
      h.pipe(SERVICE, first);
      h.pipe(SERVICE, second);
      h.pipe(SERVICE, second); // a duplicate: the same capture again
      h.pipe(SERVICE, first); // out of order: older than the series' latest
      h.pipeRaw(key, "this is not avro at all".getBytes(StandardCharsets.UTF_8), first.captureMs());
      ProfileEnvelope cut = Fixtures.envelope(SERVICE, first, first.captureMs());
      byte[] full = cut.getProfile().array();
      cut.setProfile(ByteBuffer.wrap(Arrays.copyOf(full, full.length / 2)));
      h.pipeRaw(key, h.serialize(cut), first.captureMs());
      h.pipeRaw(key, new byte[300 * 1024], first.captureMs());
      h.pipeRaw("other/instance".getBytes(StandardCharsets.UTF_8),
          h.serialize(Fixtures.envelope(SERVICE, first, first.captureMs())), first.captureMs());

      String text = metrics.scrape();
      assertAll(
          () -> assertEquals(4, value(text, "leakwatch_profiles_processed_total{type=\"heap\"}")),
          () -> assertEquals(0, value(text, "leakwatch_profiles_processed_total{type=\"goroutine\"}")),
          () -> assertEquals(1, value(text, "leakwatch_profiles_dead_lettered_total{stage=\"avro\"}")),
          () -> assertEquals(1, value(text, "leakwatch_profiles_dead_lettered_total{stage=\"pprof\"}")),
          () -> assertEquals(1, value(text, "leakwatch_profiles_dead_lettered_total{stage=\"size\"}")),
          () -> assertEquals(1, value(text, "leakwatch_profiles_dead_lettered_total{stage=\"validation\"}")),
          () -> assertEquals(0, value(text, "leakwatch_profiles_dead_lettered_total{stage=\"processing\"}")),
          () -> assertEquals(8, value(text, "leakwatch_profile_decode_seconds_count")),
          () -> assertEquals(4, h.audit().size(), "the processed ones, in the audit topic"),
          () -> assertEquals(4, h.deadLetters().size(), "the refused ones, in the dead-letter topic"));
    }
  }

  /** The value of the series {@code series} (name and labels as exported) in a Prometheus scrape. */
  private static double value(String scrape, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
    if (!m.find()) {
      throw new AssertionError("no series " + series + " in\n" + scrape);
    }
    return Double.parseDouble(m.group(1));
  }
}
