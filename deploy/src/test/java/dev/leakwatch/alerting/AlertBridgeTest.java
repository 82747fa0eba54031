package dev.leakwatch.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leakwatch.query.SuspectAnswers.Distinguishing;
import dev.leakwatch.query.SuspectAnswers.Labels;
import dev.leakwatch.query.SuspectAnswers.Suspect;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The bridge against a real Alertmanager (skipped when none is installed: {@code apt-get install
 * prometheus-alertmanager}) and a query API scripted with the API's own answer types. What
 * Alertmanager holds is read back through its own API.
 */
class AlertBridgeTest extends BridgeHarness {

  @Test
  void shouldPostEveryOpenSuspectAsAFiringAlertWithIdentityLabelsSeverityAndSummary() throws Exception {
    Instant now = Instant.now();
    api.pageSize = 1; // the listing comes in two pages
    api.open = List.of(ScriptedApi.heap("session-store", "a1", now.plus(Duration.ofHours(2))),
        ScriptedApi.goroutines("push-worker", "b2"));

    AlertBridge.Round round = bridge().round(now);

    assertEquals(List.of(), round.problems());
    assertEquals(2, round.opened());
    Map<String, JsonNode> held = held();
    assertEquals(Set.of("push-worker/b2", "session-store/a1"), held.keySet());
    JsonNode heap = held.get("session-store/a1");
    assertEquals("LeakwatchLeakSuspect", heap.path("labels").path("alertname").asText());
    assertEquals("page", heap.path("labels").path("severity").asText(), heap.toString());
    assertEquals("heap", heap.path("labels").path("kind").asText());
    assertEquals("eu-1", heap.path("labels").path("cluster").asText());
    assertEquals("leakwatch.dev/goleaker/internal/session.(*Store).Remember", heap.path("labels").path("site").asText());
    assertEquals("session-store leaks +1.5 MiB/hour at session.(*Store).Remember (session/store.go:87), OOM in ~2 h",
        heap.path("annotations").path("summary").asText());
    assertEquals("https://leakwatch.example/#/suspect/session-store/a1", heap.path("generatorURL").asText());
    assertEquals("active", heap.path("status").path("state").asText());
    JsonNode goroutines = held.get("push-worker/b2");
    assertEquals("ticket", goroutines.path("labels").path("severity").asText());
    assertEquals("push-worker leaks +20931 goroutines/hour at push.(*Dispatcher).resolveDevice (push/dispatch.go:51)"
        + " [chan receive]", goroutines.path("annotations").path("summary").asText());
    assertTrue(api.authorizations.stream().allMatch("Bearer s3cret"::equals), api.authorizations.toString());
  }

  @Test
  void shouldPageForLeakingGoroutinesProjectedToExhaustMemoryWithinTheHorizon() throws Exception {
    Instant now = Instant.now();
    api.open = List.of(ScriptedApi.goroutines("push-worker", "b2", now.plus(Duration.ofHours(3))),
        ScriptedApi.goroutines("mail-worker", "c3", now.plus(Duration.ofHours(30))));

    bridge().round(now);

    Map<String, JsonNode> held = held();
    JsonNode soon = held.get("push-worker/b2");
    assertEquals("page", soon.path("labels").path("severity").asText(), soon.toString());
    assertTrue(soon.path("annotations").path("summary").asText().endsWith("[chan receive], OOM in ~3 h"),
        soon.toString());
    assertTrue(soon.path("annotations").path("description").asText().contains("memory limit of 512 MiB"),
        soon.toString());
    assertEquals("ticket", held.get("mail-worker/c3").path("labels").path("severity").asText());
  }

  @Test
  void shouldAnnotateEveryAlertWithTheRunbookUrlOnlyWhenOneIsGiven() throws Exception {
    api.open = List.of(ScriptedApi.heap("session-store", "a1", null), ScriptedApi.goroutines("push-worker", "b2"));
    bridge().round(Instant.now());
    held().values().forEach(a -> assertTrue(a.path("annotations").path("runbook_url").isMissingNode(), a.toString()));

    URI runbook = URI.create("https://docs.example/leakwatch/OPERATIONS.md#leakwatchleaksuspect");
    AlertBridge.Round round = bridge(List.of(alertmanager.url), Map.of("cluster", "eu-1"), runbook).round(Instant.now());

    // an annotation, not a label: the restarted bridge goes on with the same two alerts (held() throws on a second)
    assertEquals("2 firing (0 new), 0 resolved, 2 taken over from Alertmanager", round.line());
    Map<String, JsonNode> held = held();
    assertEquals(Set.of("push-worker/b2", "session-store/a1"), held.keySet());
    held.values().forEach(a -> assertEquals(runbook.toString(), a.path("annotations").path("runbook_url").asText(),
        a.toString()));
  }

  @Test
  void shouldResolveASuspectOnlyOnceTheApiSaysItIsNoLongerOpen() throws Exception {
    Suspect heap = ScriptedApi.heap("session-store", "a1", null);
    Suspect goroutines = ScriptedApi.goroutines("push-worker", "b2");
    AlertBridge bridge = bridge();
    api.open = List.of(heap, goroutines);
    bridge.round(Instant.now());

    // left out of a listing (a page boundary moved) but still open when asked on its own: kept
    api.open = List.of(goroutines);
    api.known.put("session-store/a1", heap);
    AlertBridge.Round kept = bridge.round(Instant.now());
    assertEquals(0, kept.resolved(), kept.line());
    assertEquals(Set.of("push-worker/b2", "session-store/a1"), held().keySet());

    // resolved: the lifecycle says so
    api.known.put("session-store/a1", ScriptedApi.withState(heap, "resolved"));
    AlertBridge.Round resolved = bridge.round(Instant.now());
    assertEquals(1, resolved.resolved(), resolved.line());
    assertEquals(Set.of("push-worker/b2"), held().keySet());

    // forgotten (404): resolved as well
    api.open = List.of();
    AlertBridge.Round gone = bridge.round(Instant.now());
    assertEquals(List.of(), gone.problems());
    assertEquals(1, gone.resolved(), gone.line());
    assertEquals(Set.of(), held().keySet());
  }

  @Test
  void shouldResolveNothingWhileTheApiCannotAnswer() throws Exception {
    AlertBridge bridge = bridge();
    api.open = List.of(ScriptedApi.heap("session-store", "a1", null), ScriptedApi.goroutines("push-worker", "b2"));
    bridge.round(Instant.now());

    api.unavailable = true;
    AlertBridge.Round round = bridge.round(Instant.now());

    assertEquals(1, round.problems().size(), round.line());
    assertTrue(round.problems().get(0).contains("answered 503: 1 of 2 instances could not answer"), round.line());
    assertEquals(0, round.resolved());
    assertEquals(Set.of("push-worker/b2", "session-store/a1"), held().keySet());
  }

  @Test
  void shouldEndTheAlertUnderItsOldSeverityWhenTheProjectionComesNear() throws Exception {
    Instant now = Instant.now();
    AlertBridge bridge = bridge();
    api.open = List.of(ScriptedApi.heap("session-store", "a1", now.plus(Duration.ofHours(30))));
    bridge.round(now);
    assertEquals("ticket", held().get("session-store/a1").path("labels").path("severity").asText());

    api.open = List.of(ScriptedApi.heap("session-store", "a1", now.plus(Duration.ofMinutes(40))));
    AlertBridge.Round round = bridge.round(Instant.now());

    assertEquals(List.of(), round.problems());
    assertEquals("1 firing (0 new), 0 resolved, 1 changed severity", round.line()); // the log shows the page
    JsonNode only = held().get("session-store/a1"); // one alert for the suspect, else held() throws
    assertEquals("page", only.path("labels").path("severity").asText());
    assertTrue(only.path("annotations").path("summary").asText().endsWith("OOM in ~40 min"), only.toString());
  }

  @Test
  void shouldAnnotateTheLabelsThatSetTheSuspectsInstancesApart() throws Exception {
    Suspect heap = ScriptedApi.heap("session-store", "a1", null);
    api.open = List.of(heap, ScriptedApi.goroutines("push-worker", "b2"));
    api.known.put("session-store/a1", heap);
    api.labels.put("session-store/a1", new Labels(5, 5, false, List.of(), false, List.of(
        new Distinguishing("version", "1.4.2", 2, 2, 5), new Distinguishing("region", "eu-west-1", 2, 3, 5))));

    bridge().round(Instant.now());

    Map<String, JsonNode> held = held();
    assertEquals("version=1.4.2 on 2 of 5 live instances; region=eu-west-1 on 3 of 5 live instances",
        held.get("session-store/a1").path("annotations").path("distinguishing_labels").asText());
    assertTrue(held.get("push-worker/b2").path("annotations").path("distinguishing_labels").isMissingNode(),
        "the API did not know b2 on its own: no note, and no problem for the round");
  }

  @Test
  void shouldNameAnAlertmanagerThatCannotBeReachedAndStillPostToTheOthers() throws Exception {
    URI dead = URI.create("http://127.0.0.1:9"); // discard port: nothing listens
    AlertBridge bridge = bridge(List.of(dead, alertmanager.url));
    api.open = List.of(ScriptedApi.goroutines("push-worker", "b2"));

    AlertBridge.Round round = bridge.round(Instant.now());

    assertEquals(2, round.problems().size(), round.line()); // reading back what it holds, and posting
    assertTrue(round.problems().get(0).startsWith("alerts posted before this start not read (asked again next round):"
        + " cannot reach http://127.0.0.1:9/api/v2/alerts?"), round.line());
    assertTrue(round.problems().get(1).startsWith("cannot reach http://127.0.0.1:9/api/v2/alerts:"), round.line());
    assertEquals(Set.of("push-worker/b2"), held().keySet());
  }

  // A restarted bridge (a new AlertBridge: what the old one posted is known only to Alertmanager)

  @Test
  void shouldResolveAfterRestartAnAlertWhoseSuspectClosedWhileTheBridgeWasDown() throws Exception {
    Suspect heap = ScriptedApi.heap("session-store", "a1", null);
    Suspect stays = ScriptedApi.goroutines("push-worker", "b2");
    api.open = List.of(heap, stays, ScriptedApi.goroutines("push-worker", "c3"));
    bridge().round(Instant.now()); // the first run posts all three, then is gone

    // while no bridge runs: a1 resolves, c3 is forgotten (the API answers 404), b2 stays open
    api.open = List.of(stays);
    api.known.put("session-store/a1", ScriptedApi.withState(heap, "resolved"));
    AlertBridge.Round round = bridge().round(Instant.now());

    assertEquals(Set.of("push-worker/b2"), held().keySet());
    assertEquals("1 firing (0 new), 2 resolved, 3 taken over from Alertmanager", round.line());
  }

  @Test
  void shouldResolveAfterRestartOnlyOnceTheApiAnswers() throws Exception {
    api.open = List.of(ScriptedApi.goroutines("push-worker", "b2"));
    bridge().round(Instant.now());
    api.open = List.of(); // b2 closed while no bridge ran
    api.unavailable = true;
    AlertBridge restarted = bridge();

    AlertBridge.Round doubt = restarted.round(Instant.now());
    assertEquals(0, doubt.resolved(), doubt.line());
    assertEquals(Set.of("push-worker/b2"), held().keySet());

    api.unavailable = false;
    AlertBridge.Round answered = restarted.round(Instant.now());
    assertEquals(List.of(), answered.problems());
    assertEquals(1, answered.resolved(), answered.line());
    assertEquals(Set.of(), held().keySet());
  }

  @Test
  void shouldEndAfterRestartTheAlertUnderTheSeverityItHadWhenTheProjectionCameNearMeanwhile() throws Exception {
    Instant now = Instant.now();
    api.open = List.of(ScriptedApi.heap("session-store", "a1", now.plus(Duration.ofHours(30))));
    bridge().round(now);

    api.open = List.of(ScriptedApi.heap("session-store", "a1", now.plus(Duration.ofMinutes(40))));
    AlertBridge.Round round = bridge().round(Instant.now());

    JsonNode only = held().get("session-store/a1"); // one alert for the suspect, else held() throws
    assertEquals("page", only.path("labels").path("severity").asText());
    assertEquals("1 firing (0 new), 0 resolved, 1 changed severity, 1 taken over from Alertmanager", round.line());
  }

  @Test
  void shouldNotResolveAnotherBridgesAlerts() throws Exception {
    api.open = List.of(ScriptedApi.goroutines("push-worker", "b2"));
    for (Map<String, String> labels : List.of(Map.of("cluster", "eu-1"), Map.of("cluster", "us-1"),
        Map.of("cluster", "eu-1", "team", "payments"))) {
      bridge(List.of(alertmanager.url), labels).round(Instant.now());
    }
    api.open = List.of(); // b2 closed and forgotten while no bridge ran

    AlertBridge.Round round = bridge(List.of(alertmanager.url), Map.of("cluster", "eu-1")).round(Instant.now());

    // its own alert resolved; the other bridges' kept, also the one whose labels include all of its own
    Set<String> left = alertmanager.alerts().stream().map(a -> a.path("labels").path("cluster").asText() + " "
        + a.path("labels").path("team").asText("-")).collect(Collectors.toSet());
    assertEquals(Set.of("us-1 -", "eu-1 payments"), left);
    assertEquals("0 firing (0 new), 1 resolved, 1 taken over from Alertmanager", round.line());
  }

  @Test
  void shouldReadAgainAnAlertmanagerUnreadableAtStartAndResolveWhatItHeldOnceItAnswers() throws Exception {
    try (ReadGate gate = new ReadGate(alertmanager.url)) {
      api.open = List.of(ScriptedApi.goroutines("push-worker", "b2"));
      bridge(List.of(gate.url)).round(Instant.now());
      api.open = List.of(ScriptedApi.goroutines("push-worker", "c3")); // b2 closed (404), c3 new
      gate.readable = false;
      gate.reads.clear();
      AlertBridge restarted = bridge(List.of(gate.url));

      AlertBridge.Round unreadable = restarted.round(Instant.now());
      assertEquals(1, unreadable.problems().size(), unreadable.line());
      assertTrue(unreadable.problems().get(0).startsWith("alerts posted before this start not read (asked again next"
          + " round): " + gate.url + "/api/v2/alerts?active=true"), unreadable.line());
      assertTrue(unreadable.problems().get(0).endsWith("answered 503: closed by the test's gate"), unreadable.line());
      assertEquals(1, unreadable.unread());
      assertEquals(Set.of("push-worker/b2", "push-worker/c3"), held().keySet()); // carried on: c3 posted

      gate.readable = true;
      AlertBridge.Round read = restarted.round(Instant.now());
      assertEquals(List.of(), read.problems());
      assertEquals(0, read.unread());
      assertEquals(Set.of("push-worker/c3"), held().keySet());

      restarted.round(Instant.now());
      assertEquals(2, gate.reads.size(), gate.reads.toString()); // read back until answered once, then no more
    }
  }
}
