package dev.leakwatch.http;

import static dev.leakwatch.http.ApiClient.get;
import static dev.leakwatch.http.ApiClient.json;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leakwatch.detect.ProfileKind;
import dev.leakwatch.detect.SiteFrame;
import dev.leakwatch.detect.site.CaptureSnapshot;
import dev.leakwatch.detect.site.SiteExtractor;
import dev.leakwatch.detect.site.SiteValue;
import dev.leakwatch.processor.ProcessorRuntime;
import dev.leakwatch.topology.Fixtures;
import dev.leakwatch.topology.eval.CorpusScenario;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A per-service rule that turns judging off, on two processors fed the recorded heap leak G: the service
 * answer says which rule judges it, and the leak site's series shows the growth detection would have
 * reported as {@code NOT_JUDGED}.
 */
class DetectionRulesApiTest {

  private static final String TOKEN = "rules-token";
  private static final String RULES = String.join("\n",
      "detection:",
      "  services:",
      "    - match: [orders-*]",
      "      warmup: 30m",
      "    - match: [session-*, billing]",
      "      judge: false",
      "      minTrendZ: 2.5",
      "");

  private static TwoProcessors run;
  private static CorpusScenario g;
  private static long leakSite;

  @BeforeAll
  static void feedTheHeapLeakToAnUnjudgedService() throws Exception {
    g = Fixtures.scenario("G");
    leakSite = leakSiteOfLastCapture("replica-1");
    run = TwoProcessors.startSharingTheWork(TOKEN, RULES);
    run.publish(List.of(g));
    long last = RecordedCorpus.of(g, "heap").stream().filter(c -> c.instance().equals("replica-1"))
        .mapToLong(CorpusScenario.Capture::captureMs).max().orElseThrow();
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
        .until(() -> lastPointMs(replica1(run.a)) == last);
  }

  @AfterAll
  static void stop() throws Exception {
    if (run != null) {
      run.close();
    }
  }

  @Test
  void shouldSayWhichRuleJudgesTheServiceOnEveryProcessor() {
    for (ProcessorRuntime asked : List.of(run.a, run.b)) {
      HttpResponse<byte[]> r = get(asked.httpPort(), "/api/v1/services/" + g.service() + "?limit=1", TOKEN);
      assertEquals(200, r.statusCode(), ApiClient.text(r));
      JsonNode d = json(r).path("detection");
      assertEquals(1, d.path("rule").asInt(), d.toString());
      assertEquals("[\"session-*\",\"billing\"]", d.path("match").toString());
      assertEquals(false, d.path("judged").asBoolean(true));
      assertEquals("{\"minTrendZ\":2.5}", d.path("changes").toString());
    }
  }

  @Test
  void shouldShowTheGrowthItWouldReportAsNotJudged() {
    for (ProcessorRuntime asked : List.of(run.a, run.b)) {
      JsonNode growth = replica1(asked).path("growth");
      assertEquals("NOT_JUDGED", growth.path("verdict").asText(), growth.toString());
      assertTrue(growth.path("ratePerHour").asDouble() > 0, growth.toString());
    }
  }

  /** replica-1's entry in the leak site's series, as {@code asked} answers it. */
  private static JsonNode replica1(ProcessorRuntime asked) {
    String path = "/api/v1/services/" + g.service() + "/sites/" + String.format("%016x", leakSite)
        + "/series?kind=heap&instance=replica-1";
    HttpResponse<byte[]> r = get(asked.httpPort(), path, TOKEN);
    if (r.statusCode() != 200) {
      return null;
    }
    for (JsonNode i : json(r).path("instances")) {
      if (i.path("instance").asText().equals("replica-1")) {
        return i;
      }
    }
    return null;
  }

  private static long lastPointMs(JsonNode instance) {
    if (instance == null || instance.path("points").isEmpty()) {
      return -1;
    }
    JsonNode points = instance.path("points");
    return points.get(points.size() - 1).path("timeMs").asLong();
  }

  /** The heap site of {@code instance}'s last recorded capture blamed on one of the manifest's leak functions. */
  private static long leakSiteOfLastCapture(String instance) {
    List<CorpusScenario.Capture> heap = RecordedCorpus.of(g, "heap").stream()
        .filter(c -> c.instance().equals(instance)).toList();
    CorpusScenario.Capture last = heap.get(heap.size() - 1);
    CaptureSnapshot snap = SiteExtractor.extract(RecordedCorpus.decode(last), ProfileKind.HEAP, last.captureMs());
    SiteValue leak = null;
    for (SiteValue v : snap.sites().values()) {
      if (v.site().stack().stream().map(SiteFrame::function).anyMatch(g.leakSiteFunctions()::contains)
          && (leak == null || v.value() > leak.value())) {
        leak = v;
      }
    }
    assertNotNull(leak, "a site blamed on " + g.leakSiteFunctions());
    return leak.id();
  }
}
