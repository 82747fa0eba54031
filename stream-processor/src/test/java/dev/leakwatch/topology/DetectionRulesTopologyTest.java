package dev.leakwatch.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.detect.DetectionConfig;
import dev.leakwatch.detect.DetectionPolicy;
import dev.leakwatch.detect.ServicePattern;
import dev.leakwatch.schemas.avro.LeakSuspect;
import dev.leakwatch.schemas.avro.SuspectKind;
import dev.leakwatch.topology.eval.CorpusScenario;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
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
}
