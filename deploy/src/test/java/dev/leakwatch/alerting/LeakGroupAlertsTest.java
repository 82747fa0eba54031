package dev.leakwatch.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leakwatch.query.SuspectAnswers.Suspect;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The {@code leak_group} label against a real Alertmanager: leaked goroutines and the heap they seem to
 * hold share one group (docs/OPERATIONS.md, "Alerts in Alertmanager"), and an alert changes group no
 * more often than it must.
 */
class LeakGroupAlertsTest extends BridgeHarness {

  @Test
  void shouldPutAHeapSuspectInTheLeakGroupOfTheGoroutinesThatHoldIt() throws Exception {
    // b2's goroutines hold a1's heap (b2's event names a1; a1's older event does not name b2 yet); c3 is apart
    api.open = List.of(ScriptedApi.heap("push-worker", "a1", null),
        ScriptedApi.withRelated(ScriptedApi.goroutines("push-worker", "b2"), "a1"),
        ScriptedApi.heap("push-worker", "c3", null));

    bridge().round(Instant.now());

    Map<String, JsonNode> held = held();
    assertEquals("b2", held.get("push-worker/b2").path("labels").path("leak_group").asText());
    assertEquals("b2", held.get("push-worker/a1").path("labels").path("leak_group").asText());
    assertEquals("c3", held.get("push-worker/c3").path("labels").path("leak_group").asText());
    assertEquals("a1", held.get("push-worker/b2").path("annotations").path("same_leak_as").asText());
    assertEquals("b2", held.get("push-worker/a1").path("annotations").path("same_leak_as").asText());
    assertTrue(held.get("push-worker/c3").path("annotations").path("same_leak_as").isMissingNode());
  }

  @Test
  void shouldEndTheAlertUnderItsOldGroupWhenTheGoroutinesHoldingItOpenLater() throws Exception {
    AlertBridge bridge = bridge();
    Suspect heap = ScriptedApi.heap("push-worker", "a1", null);
    api.open = List.of(heap);
    bridge.round(Instant.now());
    assertEquals("a1", held().get("push-worker/a1").path("labels").path("leak_group").asText());

    api.open = List.of(ScriptedApi.withRelated(heap, "b2"), ScriptedApi.goroutines("push-worker", "b2"));
    AlertBridge.Round round = bridge.round(Instant.now());

    assertEquals("2 firing (1 new), 0 resolved, 1 changed leak group", round.line());
    JsonNode only = held().get("push-worker/a1"); // one alert for the suspect, else held() throws
    assertEquals("b2", only.path("labels").path("leak_group").asText());
  }

  @Test
  void shouldTakeOverAndRegroupAnAlertPostedByABridgeBeforeLeakGroups() throws Exception {
    Suspect heap = ScriptedApi.heap("session-store", "a1", null);
    Map<String, String> older = new TreeMap<>(Map.of("alertname", "LeakwatchLeakSuspect", "cluster", "eu-1",
        "service", "session-store", "suspect_id", "a1", "kind", "heap", "site", heap.site().function(),
        "severity", "ticket"));
    Instant now = Instant.now();
    List<String> failures = new Alertmanagers(List.of(alertmanager.url), Duration.ofSeconds(5)).post(List.of(
        new SuspectAlert(older, Map.of("summary", "posted by an older bridge"), now.toString(),
            now.plus(Duration.ofHours(1)).toString(), "https://leakwatch.example/#/suspect/session-store/a1")));
    assertEquals(List.of(), failures);
    api.open = List.of(heap);

    AlertBridge.Round round = bridge().round(Instant.now());

    assertEquals("1 firing (0 new), 0 resolved, 1 changed leak group, 1 taken over from Alertmanager", round.line());
    JsonNode only = held().get("session-store/a1"); // the older alert resolved, else held() throws
    assertEquals("a1", only.path("labels").path("leak_group").asText());
  }

  @Test
  void shouldKeepAHeapSuspectInItsGroupWhileTheGoroutinesAreOpenWhenTheirEventsStopNamingEachOther() throws Exception {
    AlertBridge bridge = bridge();
    Suspect heap = ScriptedApi.heap("push-worker", "a1", null);
    Suspect goroutines = ScriptedApi.goroutines("push-worker", "b2");
    api.open = List.of(ScriptedApi.withRelated(heap, "b2"), goroutines);
    bridge.round(Instant.now());
    assertEquals("b2", held().get("push-worker/a1").path("labels").path("leak_group").asText());

    // the next events were built while the goroutines' growth on the shared instance was held back
    api.open = List.of(heap, goroutines);
    AlertBridge.Round kept = bridge.round(Instant.now());

    assertEquals("2 firing (0 new), 0 resolved", kept.line(), "no alert resolved and fired again");
    assertEquals("b2", held().get("push-worker/a1").path("labels").path("leak_group").asText());

    api.open = List.of(heap); // the goroutine suspect closes: the heap is on its own
    AlertBridge.Round left = bridge.round(Instant.now());

    assertEquals("1 firing (0 new), 1 resolved, 1 changed leak group", left.line());
    assertEquals("a1", held().get("push-worker/a1").path("labels").path("leak_group").asText());
  }
}
