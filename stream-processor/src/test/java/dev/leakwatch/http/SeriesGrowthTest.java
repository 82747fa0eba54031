package dev.leakwatch.http;

import static dev.leakwatch.http.ApiClient.get;
import static dev.leakwatch.http.ApiClient.json;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leakwatch.detect.ProfileKind;
import dev.leakwatch.detect.site.CaptureSnapshot;
import dev.leakwatch.detect.site.SiteExtractor;
import dev.leakwatch.processor.ProcessorRuntime;
import dev.leakwatch.topology.Fixtures;
import dev.leakwatch.topology.eval.CorpusScenario;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each instance's growth figure in the series answers, on two processors fed the recorded heap leak
 * G: the leak grows on replica-1, the one instance its suspect lists; replica-0 was killed mid-run,
 * and the series of its new process spans less than detection's minimum; sites whose recorded value
 * never changes do not grow. Every figure is judged by detection's own estimator on the instance's
 * stored series, whichever processor holds it.
 */
class SeriesGrowthTest {

  private static final String TOKEN = "growth-token";

  private static TwoProcessors run;
  private static CorpusScenario g;
  private static JsonNode suspect;

  @BeforeAll
  static void feedTheHeapLeak() throws Exception {
    g = Fixtures.scenario("G");
    run = TwoProcessors.startSharingTheWork(TOKEN);
    run.publish(List.of(g));
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
      suspect = openSuspect();
      return suspect != null && seriesReachLatestCaptures(series(run.a));
    });
    // the series pages the lifecycle's live instances, fed through the repartition topic after the
    // per-instance series the wait above read: under load it lags them
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> run.holdsEveryCapture(g));
  }

  @AfterAll
  static void stop() throws Exception {
    if (run != null) {
      run.close();
    }
  }

  @Test
  void shouldGiveTheGrowingInstanceARateNearTheDetectedOneWhenTheSuspectListsOnlyThatInstance() {
    List<String> listed = new ArrayList<>();
    suspect.path("instances").forEach(i -> listed.add(i.asText()));
    assertEquals(List.of("replica-1"), listed, "replica-0's series never lasted long enough: " + suspect);
    double detected = suspect.path("growthRate").asDouble();
    for (ProcessorRuntime asked : List.of(run.a, run.b)) {
      JsonNode growth = instance(series(asked), "replica-1").path("growth");
      double rate = growth.path("ratePerHour").asDouble();
      assertTrue(rate > 0, "replica-1 grows: " + growth);
      // the suspect's rate is replica-1's at its OPEN event, judged on fewer captures than the latest
      assertEquals(detected, rate, 0.1 * detected, "near the detected rate " + detected + ": " + growth);
      assertEquals("GROWING", growth.path("verdict").asText(), growth.toString());
      List<Long> heap = heapCaptures("replica-1");
      assertEquals(heap.size(), growth.path("points").asInt(), "every capture of its one process");
      assertEquals(List.of(Instant.ofEpochMilli(heap.get(0)).toString(),
          Instant.ofEpochMilli(heap.get(heap.size() - 1)).toString()),
          List.of(growth.path("from").asText(), growth.path("to").asText()), growth.toString());
    }
  }

  @Test
  void shouldGiveNoRateToAnInstanceWhoseSeriesSinceItsRestartIsShorterThanDetectionJudges() {
    JsonNode replica0 = instance(series(run.b), "replica-0");
    assertEquals(1, replica0.path("generation").asInt(), "restarted once: " + replica0);
    assertTrue(replica0.path("tracked").asBoolean() && replica0.path("points").size() >= 8, replica0.toString());
    assertTrue(replica0.has("growth") && replica0.path("growth").isNull(), "no rate: " + replica0);
  }

  @Test
  void shouldGiveNoRateForATrackedSiteWhoseRecordedValueNeverChanges() {
    int tracked = 0;
    for (long site : unchangingSites("replica-1")) {
      String path = "/api/v1/services/" + g.service() + "/sites/" + String.format("%016x", site) + "/series?kind=heap";
      JsonNode one = instance(json(get(run.a.httpPort(), path + "&instance=replica-1", TOKEN)), "replica-1");
      JsonNode paged = instance(json(get(run.b.httpPort(), path, TOKEN)), "replica-1");
      assertEquals(one, paged, "the same entry on one instance and in the page of live instances");
      if (one.path("tracked").asBoolean()) {
        tracked++;
        assertTrue(one.has("growth") && one.path("growth").isNull(), "a flat site has no rate: " + one);
      }
    }
    assertTrue(tracked > 0, "replica-1 tracks a site that never changes");
  }

  /** The sites present with one same value at every recorded heap capture of {@code instance}. */
  private static List<Long> unchangingSites(String instance) {
    Map<Long, Long> values = null;
    for (CorpusScenario.Capture c : RecordedCorpus.of(g, "heap")) {
      if (!c.instance().equals(instance)) {
        continue;
      }
      CaptureSnapshot snap = SiteExtractor.extract(RecordedCorpus.decode(c), ProfileKind.HEAP, c.captureMs());
      Map<Long, Long> now = new HashMap<>();
      snap.sites().forEach((id, v) -> now.put(id, v.value()));
      if (values == null) {
        values = now;
      } else {
        values.entrySet().removeIf(e -> !e.getValue().equals(now.get(e.getKey())));
      }
    }
    assertFalse(values.isEmpty(), "some site of " + instance + " never changes");
    return List.copyOf(values.keySet());
  }

  private static List<Long> heapCaptures(String instance) {
    return RecordedCorpus.of(g, "heap").stream().filter(c -> c.instance().equals(instance))
        .map(CorpusScenario.Capture::captureMs).toList();
  }

  private static JsonNode openSuspect() {
    HttpResponse<byte[]> r = get(run.b.httpPort(), "/api/v1/suspects", TOKEN);
    if (r.statusCode() != 200) {
      return null;
    }
    for (JsonNode s : json(r).path("suspects")) {
      if (s.path("service").asText().equals(g.service())) {
        return s;
      }
    }
    return null;
  }

  private static JsonNode series(ProcessorRuntime asked) {
    HttpResponse<byte[]> r = get(asked.httpPort(), "/api/v1/services/" + g.service() + "/suspects/"
        + suspect.path("suspectId").asText() + "/series", TOKEN);
    assertEquals(200, r.statusCode(), ApiClient.text(r));
    return json(r);
  }

  /** Whether each instance's series ends at its latest recorded heap capture. */
  private static boolean seriesReachLatestCaptures(JsonNode series) {
    for (String instance : List.of("replica-0", "replica-1")) {
      JsonNode points = instance(series, instance).path("points");
      List<Long> heap = heapCaptures(instance);
      if (points.isEmpty() || points.get(points.size() - 1).path("timeMs").asLong() != heap.get(heap.size() - 1)) {
        return false;
      }
    }
    return true;
  }

  private static JsonNode instance(JsonNode series, String instance) {
    for (JsonNode i : series.path("instances")) {
      if (i.path("instance").asText().equals(instance)) {
        return i;
      }
    }
    throw new AssertionError("no " + instance + " in " + series);
  }
}
