package dev.leakwatch.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.detect.DetectionConfig;
import dev.leakwatch.detect.DetectionPolicy;
import dev.leakwatch.detect.LivePolicy;
import dev.leakwatch.detect.ServicePattern;
import dev.leakwatch.schemas.avro.LeakSuspect;
import dev.leakwatch.schemas.avro.SuspectKind;
import dev.leakwatch.schemas.avro.SuspectStatus;
import dev.leakwatch.topology.eval.CorpusScenario;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-service detection rules through the production topology: the recorded heap leak (testdata/corpus G)
 * published twice, under its own service name and under a second one, capture by capture, so both services
 * see the same growth at the same times and only their rules differ.
 */
class DetectionRulesTopologyTest {
  private static final String TWIN = "legacy-session-store";

  @TempDir Path temp;

  private static DetectionPolicy.Rule rule(DetectionConfig c, boolean judged, String pattern) {
    return new DetectionPolicy.Rule(List.of(ServicePattern.of(pattern)), c, judged);
  }

  private Set<String> servicesWithHeapOpens(DetectionPolicy policy) {
    CorpusScenario g = Fixtures.scenario("G");
    try (TopologyHarness h = TopologyHarness.create(TopologyConfig.defaults().withDetection(policy), temp)) {
      for (CorpusScenario.Capture c : Fixtures.captures(g, c -> true)) {
        h.pipe(g.service(), c);
        h.pipe(TWIN, c);
      }
      assertEquals(List.of(), h.deadLetters());
      List<LeakSuspect> opens = LeakwatchTopologyTest.opens(h.suspects(), SuspectKind.HEAP);
      opens.forEach(e -> assertTrue(LeakwatchTopologyTest.blames(e, g.leakSiteFunctions()), e.toString()));
      return opens.stream().map(LeakSuspect::getService).collect(Collectors.toSet());
    }
  }

  @Test
  void shouldOpenSuspectsForEveryServiceWithoutRules() {
    assertEquals(Set.of("session-store", TWIN), servicesWithHeapOpens(DetectionPolicy.of(DetectionConfig.defaults())));
  }

  @Test
  void shouldOpenNoSuspectForAServiceItsRuleLeavesUnjudged() {
    DetectionConfig d = DetectionConfig.defaults();
    assertEquals(Set.of("session-store"),
        servicesWithHeapOpens(new DetectionPolicy(d, List.of(rule(d, false, "legacy-*")))));
  }

  @Test
  void shouldJudgeEachServiceByItsOwnRuleInOneTopology() {
    DetectionConfig d = DetectionConfig.defaults();
    DetectionConfig blind = d.toBuilder().heapMinBytesPerHour(1e15).build();
    Set<String> opened = servicesWithHeapOpens(new DetectionPolicy(blind, List.of(rule(d, true, TWIN))));
    assertEquals(Set.of(TWIN), opened, "the base's floor hides the leak; the twin's rule restores the default floor");
    assertFalse(opened.contains("session-store"));
  }

  /**
   * Rules swapped while the topology runs (as the processor does when its file changes): after the first
   * capture of both services, the holder switches session-store to {@code judge: false} and its twin, unjudged
   * until then, back on. The next captures are judged by the new rules, with no restart and no state reset.
   */
  @Test
  void shouldJudgeTheCapturesAfterALiveRulesSwapByTheNewRules() {
    DetectionConfig d = DetectionConfig.defaults();
    LivePolicy live = new LivePolicy(new DetectionPolicy(d, List.of(rule(d, false, "legacy-*"))));
    CorpusScenario g = Fixtures.scenario("G");
    List<CorpusScenario.Capture> captures = Fixtures.captures(g, c -> true);
    try (TopologyHarness h = TopologyHarness.create(TopologyConfig.defaults().withDetection(live), temp)) {
      h.pipe(g.service(), captures.get(0));
      h.pipe(TWIN, captures.get(0));
      live.replace(new DetectionPolicy(d, List.of(rule(d, false, "session-*"))));
      for (CorpusScenario.Capture c : captures.subList(1, captures.size())) {
        h.pipe(g.service(), c);
        h.pipe(TWIN, c);
      }
      assertEquals(List.of(), h.deadLetters());
      Set<String> opened = LeakwatchTopologyTest.opens(h.suspects(), SuspectKind.HEAP).stream()
          .map(LeakSuspect::getService).collect(Collectors.toSet());
      assertEquals(Set.of(TWIN), opened, "session-store switched off opens nothing; its twin switched on opens");
    }
  }

  /**
   * A rule change reaches an open suspect through a restart: replica-1's recorded captures (still growing
   * throughout) go to a processor without rules until the leak opens, then to one whose rule leaves the
   * service unjudged, then to one without rules again. Each restart carries the detection stores over, as
   * a restarted processor restores them from their changelogs.
   */
  @Test
  void shouldResolveAnOpenSuspectOnceItsServiceIsUnjudgedAndOpenAnotherWhenJudgedAgain() {
    List<LeakSuspect> events = acrossRuleChanges(false);

    List<SuspectStatus> statuses = events.stream().map(LeakSuspect::getStatus).toList();
    assertEquals(List.of(SuspectStatus.OPEN, SuspectStatus.RESOLVED, SuspectStatus.OPEN), statuses, events.toString());
    assertTrue(events.get(1).getDetectedAt().toEpochMilli() - events.get(0).getDetectedAt().toEpochMilli()
        >= RESOLVE_AFTER.toMillis(), "resolved no sooner than resolveAfter after the last growth reported");
    assertEquals(1, events.stream().map(LeakSuspect::getSuspectId).distinct().count(),
        "one site of one service: the same stable id, opened afresh once judged again");
  }

  @Test
  void shouldKeepTheSuspectOpenAcrossTheSameRestartsWhenTheServiceStaysJudged() {
    List<SuspectStatus> statuses = acrossRuleChanges(true).stream().map(LeakSuspect::getStatus).toList();
    assertEquals(List.of(SuspectStatus.OPEN), statuses, "the leak kept growing: it neither resolves nor reopens");
  }

  private static final Duration RESOLVE_AFTER = Duration.ofSeconds(4);

  /**
   * The heap events of testdata/corpus G's leak in three runs over carried-over state: without rules until
   * the suspect opens, then with {@code judgedInBetween} as the service's rule for {@link #RESOLVE_AFTER}
   * and two captures more, then without rules for the captures left.
   */
  private List<LeakSuspect> acrossRuleChanges(boolean judgedInBetween) {
    CorpusScenario g = Fixtures.scenario("G");
    List<CorpusScenario.Capture> captures = Fixtures.captures(g, c -> c.instance().equals("replica-1"));
    DetectionConfig d = DetectionConfig.defaults().toBuilder().resolveAfter(RESOLVE_AFTER).build();
    TopologyConfig judged = TopologyConfig.defaults().withDetection(d).withLifecycleTick(Duration.ofSeconds(1));
    TopologyConfig between = judged.withDetection(new DetectionPolicy(d, List.of(rule(d, judgedInBetween, "session-*"))));
    List<LeakSuspect> events = new ArrayList<>();
    int next = 0;
    TopologyHarness h = TopologyHarness.create(judged, temp);
    try {
      while (events.isEmpty()) {
        h.pipe(g.service(), captures.get(next++));
        events.addAll(LeakwatchTopologyTest.opens(h.suspects(), SuspectKind.HEAP));
      }
      long until = captures.get(next - 1).captureMs() + RESOLVE_AFTER.toMillis() + 2_000;
      h = restarted(h, between);
      while (captures.get(next).captureMs() <= until) {
        h.pipe(g.service(), captures.get(next++));
        events.addAll(h.suspects());
      }
      h = restarted(h, judged);
      while (next < captures.size()) {
        h.pipe(g.service(), captures.get(next++));
        events.addAll(h.suspects());
      }
      assertEquals(List.of(), h.deadLetters());
    } finally {
      h.close();
    }
    return events.stream().filter(e -> e.getKind() == SuspectKind.HEAP)
        .filter(e -> LeakwatchTopologyTest.blames(e, g.leakSiteFunctions())).toList();
  }

  /** A harness over {@code config} holding {@code before}'s key-value stores; {@code before} is closed. */
  private TopologyHarness restarted(TopologyHarness before, TopologyConfig config) {
    TopologyHarness after = TopologyHarness.create(config, temp);
    for (String store : List.of(TopologyNames.INSTANCE_SERIES_STORE, TopologyNames.INSTANCE_SNAPSHOT_STORE,
        TopologyNames.STACK_DICTIONARY_STORE, TopologyNames.STACK_LAST_SEEN_STORE,
        TopologyNames.SUSPECT_LIFECYCLE_STORE)) {
      KeyValueStore<String, byte[]> from = before.driver.getKeyValueStore(store);
      KeyValueStore<String, byte[]> to = after.driver.getKeyValueStore(store);
      try (KeyValueIterator<String, byte[]> it = from.all()) {
        while (it.hasNext()) {
          KeyValue<String, byte[]> kv = it.next();
          to.put(kv.key, kv.value);
        }
      }
    }
    before.close();
    return after;
  }
}
