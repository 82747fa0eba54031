package dev.leakwatch.topology;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.leakwatch.detect.DetectionConfig;
import dev.leakwatch.detect.ProfileKind;
import dev.leakwatch.detect.site.CaptureSnapshot;
import dev.leakwatch.detect.site.SiteExtractor;
import dev.leakwatch.pprof.Profile;
import dev.leakwatch.pprof.ProfileDecoder;
import dev.leakwatch.pprof.ProfileMerge;
import dev.leakwatch.pprof.ProfileWriter;
import dev.leakwatch.topology.eval.EvalReport;
import dev.leakwatch.topology.eval.Evaluation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A heap leak that starts while the process runs, in a service with far more allocation sites than
 * an instance series tracks, is found at its site through the production topology.
 *
 * <p>The profiles are real Go profiles merged capture by capture: the session-store leak (scenario G,
 * replica-1: its leak starts ~5 captures in, ~160 KiB per capture at {@code session.(*Store).Remember})
 * with the 300 stable sites of the wide-sites benchmark recording ({@code testdata/bench/sites-300}),
 * as one process running both workloads would report them. The leak site is absent from the first
 * captures and, when it appears, is larger than every untracked site, so it must win a slot by
 * eviction and keep it against the many smaller candidates of every later capture. (The synthetic
 * cases in {@code InstanceSeriesTest} pin the admission rules themselves; real profiles also hold
 * sites that drop to zero, which make room first.)
 */
class WideServiceLateLeakTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Seconds between two captures of the stretched timeline. */
  private static final long INTERVAL_S = 30;

  @TempDir Path temp;

  @Test
  void shouldDetectALeakThatStartsLateInAServiceWithMoreSitesThanTracked() throws IOException {
    Path corpus = Fixtures.corpus();
    Path leakDir = scenarioDir(corpus, "G");
    Path wideDir = corpus.resolveSibling("bench").resolve("sites-300");
    Path out = temp.resolve("corpus/W_wide-late-leak");
    Files.createDirectories(out.resolve("merged"));

    ObjectNode manifest = (ObjectNode) JSON.readTree(leakDir.resolve("manifest.json").toFile());
    manifest.put("scenario_id", "W");
    ArrayNode instances = (ArrayNode) manifest.get("instances");
    for (Iterator<JsonNode> it = instances.iterator(); it.hasNext(); ) {
      if (!it.next().path("name").asText().equals("replica-1")) {
        it.remove(); // replica-0 restarts mid-run: one uninterrupted process is the case here
      }
    }
    int merged = 0;
    stretchTime(instances.get(0), manifest.path("capture").path("interval_s").asLong(1));
    for (JsonNode capture : instances.get(0).path("captures")) {
      ObjectNode files = (ObjectNode) capture.path("files");
      for (Iterator<Map.Entry<String, JsonNode>> it = files.properties().iterator(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        Path wideFile = wideDir.resolve(String.format("%04d-%s.pb.gz", capture.path("seq").asInt(), f.getKey()));
        String wide = f.getKey().equals("heap") && Files.exists(wideFile) ? wideFile.getFileName().toString() : null;
        Profile leak = decode(leakDir.resolve(f.getValue().asText()));
        Profile both = wide == null ? leak : ProfileMerge.merge(List.of(leak, decode(wideDir.resolve(wide))));
        String name = "merged/" + Path.of(f.getValue().asText()).getFileName();
        Files.write(out.resolve(name), ProfileWriter.write(both));
        f.setValue(JSON.getNodeFactory().textNode(name));
        merged += wide == null ? 0 : 1;
      }
    }
    JSON.writeValue(out.resolve("manifest.json").toFile(), manifest);

    // the premise: many more sites than slots, the leak site absent at first and then present
    List<Path> heaps;
    try (Stream<Path> s = Files.list(out.resolve("merged"))) {
      heaps = s.filter(p -> p.toString().endsWith("-heap.pb.gz")).sorted().toList();
    }
    String leakFunction = manifest.path("leak_site_functions").get(0).asText();
    CaptureSnapshot first = sites(heaps.get(0));
    CaptureSnapshot last = sites(heaps.get(heaps.size() - 1));
    int slots = DetectionConfig.defaults().maxTrackedSites();
    int mergedCaptures = merged;
    assertAll(
        () -> assertTrue(mergedCaptures >= 30, "merged " + mergedCaptures + " captures"),
        () -> assertTrue(first.siteCount() > 3 * slots, first.siteCount() + " sites for " + slots + " slots"),
        () -> assertFalse(blames(first, leakFunction), "the leak site is absent from the first capture"),
        () -> assertTrue(blames(last, leakFunction), "the leak site is in the last capture"));

    EvalReport report = Evaluation.run(temp.resolve("corpus"), TopologyConfig.defaults(), temp.resolve("state"), s -> { });
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    report.print(new PrintStream(text, true, StandardCharsets.UTF_8));
    String printed = text.toString(StandardCharsets.UTF_8);
    assertAll(printed,
        () -> assertEquals(1, report.leaks()),
        () -> assertEquals(1, report.detected(), "detected"),
        () -> assertEquals(1, report.siteCorrect(), "site correct"),
        () -> assertEquals(0, report.falsePositives(), "false positives"));
  }

  /**
   * Spreads the instance's timeline (captures, leak start, process) to the production scrape interval
   * of {@value #INTERVAL_S} s: the recording took a capture every second, and a series of 35 s is
   * still inside detection's warm-up, where a site whose past is unknown (admitted in place of
   * another) is held back. Values are untouched, so the leak's rate per capture stays what Go
   * measured, and per hour it is still far above the floors.
   */
  private static void stretchTime(JsonNode instance, long recordedIntervalS) {
    long origin = instance.path("captures").get(0).path("unix_ms").asLong();
    long factor = INTERVAL_S / recordedIntervalS;
    for (JsonNode node : List.of(instance.path("captures"), instance.path("leak_starts"))) {
      for (JsonNode n : node) {
        ((ObjectNode) n).put("unix_ms", origin + (n.path("unix_ms").asLong() - origin) * factor);
      }
    }
  }

  private static Path scenarioDir(Path corpus, String id) throws IOException {
    try (Stream<Path> dirs = Files.list(corpus)) {
      return dirs.filter(d -> d.getFileName().toString().startsWith(id + "_")).findFirst().orElseThrow();
    }
  }

  private static Profile decode(Path file) throws IOException {
    return ProfileDecoder.decode(Files.readAllBytes(file));
  }

  private static CaptureSnapshot sites(Path heap) throws IOException {
    return SiteExtractor.extract(decode(heap), ProfileKind.HEAP, 1L);
  }

  private static boolean blames(CaptureSnapshot snap, String function) {
    for (int i = 0; i < snap.siteCount(); i++) {
      if (snap.site(i).site().frame().function().equals(function)) {
        return true;
      }
    }
    return false;
  }
}
