package dev.leakwatch.http;

import static dev.leakwatch.http.ApiClient.get;
import static dev.leakwatch.http.ApiClient.json;
import static dev.leakwatch.http.CodecExpectations.stack;
import static dev.leakwatch.http.CodecExpectations.sumsByStack;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leakwatch.topology.Fixtures;
import dev.leakwatch.topology.eval.CorpusScenario;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /top?stacks=...} on two processor instances fed the recorded heap leak (G): the given
 * stacks' rows are the ones the plain top list has for them, with the sums the pprof codec computes
 * from the same recorded profiles, and the totals stay the range's.
 */
class TopStacksIntegrationTest {

  private static final String TOKEN = "s3cret-token";
  /** An id no stack of the recording has. */
  private static final String NO_SUCH_STACK = "0123456789abcdef";

  private static TwoProcessors run;
  private static CorpusScenario g;
  /** Start of the window holding G's first capture; G spans about 35 s from there. */
  private static long t0;

  @BeforeAll
  static void feedTheHeapLeak() throws Exception {
    g = Fixtures.scenario("G");
    run = TwoProcessors.startSharingTheWork(TOKEN);
    run.publish(List.of(g));
    long first = g.captures().stream().mapToLong(CorpusScenario.Capture::captureMs).min().orElseThrow();
    t0 = Math.floorDiv(first, TwoProcessors.WINDOW_MS) * TwoProcessors.WINDOW_MS;
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
      HttpResponse<byte[]> r = get(run.a.httpPort(), top(t0 - 60_000, t0 + 120_000, ""), TOKEN);
      return r.statusCode() == 200 && json(r).path("captures").asLong() == RecordedCorpus.of(g, "heap").size();
    });
  }

  @AfterAll
  static void stop() throws Exception {
    if (run != null) {
      run.close();
    }
  }

  private static String top(long from, long to, String params) {
    return "/api/v1/services/" + g.service() + "/top?metric=inuse_space&frames=1024&from=" + from + "&to=" + to + params;
  }

  @Test
  void shouldAnswerTheGivenStacksAsTheTopListHasThemWithTheRecordedSumsAndTheRangesTotals() {
    long from = t0 + 10_000;
    long to = t0 + 30_000;
    JsonNode all = json(get(run.a.httpPort(), top(from, to, "&limit=1000"), TOKEN));
    JsonNode rows = all.path("top");
    assertTrue(rows.size() > 3, "several stacks hold memory: " + rows.size());
    // the two lightest: outside the heaviest rows of any shorter list, as the UI's diff asks for them
    JsonNode second = rows.get(rows.size() - 2);
    JsonNode last = rows.get(rows.size() - 1);
    String ids = last.path("stackId").asText().toUpperCase() + "," + NO_SUCH_STACK + "," + second.path("stackId").asText();

    HttpResponse<byte[]> fromA = get(run.a.httpPort(), top(from, to, "&stacks=" + ids), TOKEN);
    HttpResponse<byte[]> fromB = get(run.b.httpPort(), top(from, to, "&stacks=" + ids), TOKEN);
    assertEquals(200, fromA.statusCode(), ApiClient.text(fromA));
    assertArrayEquals(fromA.body(), fromB.body(), "the owner's answer, whichever instance is asked");
    JsonNode chosen = json(fromA);

    assertEquals(List.of(second, last), list(chosen.path("top")), "the stacks with a value, as ranked; none other");
    Map<List<CodecExpectations.Frame>, Long> recorded = sumsByStack(RecordedCorpus.of(g, "heap").stream()
        .filter(c -> c.captureMs() >= from && c.captureMs() < to).map(RecordedCorpus::decode).toList(), "inuse_space");
    for (JsonNode row : chosen.path("top")) {
      assertEquals(recorded.get(stack(row)), row.path("sum").asLong(), row.path("stackId").asText());
    }
    for (String field : List.of("range", "captures", "instances", "instanceCount", "totalSum", "totalPerCapture", "stacks")) {
      assertEquals(all.path(field), chosen.path(field), field + " is the range's, whatever stacks are asked for");
    }
  }

  @Test
  void shouldAnswerNoRowsAndNoCapturesWhenTheRangeOfTheGivenStacksHoldsNoCaptures() {
    String leak = json(get(run.b.httpPort(), top(t0, t0 + 40_000, "&limit=1"), TOKEN)).path("top").get(0)
        .path("stackId").asText();
    HttpResponse<byte[]> r = get(run.b.httpPort(), top(t0 - 60_000, t0 - 30_000, "&stacks=" + leak), TOKEN);
    assertEquals(200, r.statusCode(), ApiClient.text(r));
    JsonNode before = json(r);
    assertEquals(0, before.path("captures").asLong(), "no value known there, not a value of 0");
    assertEquals(0, before.path("stacks").asLong());
    assertEquals(0, before.path("top").size());
  }

  private static List<JsonNode> list(JsonNode array) {
    List<JsonNode> out = new ArrayList<>();
    array.forEach(out::add);
    return out;
  }
}
