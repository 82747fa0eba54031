package dev.leakwatch.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.leakwatch.schemas.avro.LeakSuspect;
import dev.leakwatch.schemas.avro.SuspectKind;
import dev.leakwatch.topology.eval.CorpusReader;
import dev.leakwatch.topology.eval.CorpusScenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One bug seen twice, through the production topology: recorded Go profiles of a push worker whose stranded
 * goroutines each hold about a kilobyte of heap (testdata/related, scenario X: ~100 goroutines/s block
 * forever in {@code push.(*Dispatcher).resolveDevice}; their channels and goroutine structures were
 * allocated by {@code handlePush}, their results by {@code resolveDevice}). The goroutine suspect and the
 * heap suspects must name each other, and only each other.
 */
class RelatedSuspectsTopologyTest {
  private static final String PUSH = "leakwatch.dev/goleaker/internal/push.(*Dispatcher).";

  @TempDir Path temp;

  private static CorpusScenario scenario() {
    String root = System.getProperty("leakwatch.testdata");
    assumeTrue(root != null, "system property leakwatch.testdata not set");
    Path dir = Path.of(root, "related");
    assumeTrue(Files.isDirectory(dir), "no recording at " + dir);
    return CorpusReader.read(dir).stream().filter(s -> s.id().equals("X")).findFirst().orElseThrow();
  }

  @Test
  void shouldNameTheGoroutineSuspectOnEveryHeapSuspectItsGoroutinesHoldAndBack() {
    CorpusScenario x = scenario();
    List<LeakSuspect> events;
    try (TopologyHarness h = TopologyHarness.create(TopologyConfig.defaults(), temp)) {
      h.pipeAll(x.service(), Fixtures.captures(x, c -> true));
      assertEquals(List.of(), h.deadLetters());
      events = h.suspects();
    }
    List<LeakSuspect> goroutineOpens = LeakwatchTopologyTest.opens(events, SuspectKind.GOROUTINE);
    assertEquals(1, goroutineOpens.size(), () -> describe(events));
    LeakSuspect stuck = goroutineOpens.get(0);
    assertEquals(PUSH + "resolveDevice", stuck.getSite().getFunction());
    List<LeakSuspect> heapOpens = LeakwatchTopologyTest.opens(events, SuspectKind.HEAP);
    assertFalse(heapOpens.isEmpty(), () -> "the held heap should grow past the floors: " + describe(events));

    Set<String> heapIds = heapOpens.stream().map(LeakSuspect::getSuspectId).collect(Collectors.toSet());
    for (LeakSuspect heap : heapOpens) {
      assertTrue(heap.getSite().getFunction().startsWith(PUSH) || heap.getSite().getFunction().equals("runtime.malg"),
          () -> describe(events));
      // the pair is named by whichever of the two opened second
      boolean named = heap.getRelatedSuspects().contains(stuck.getSuspectId())
          || events.stream().filter(e -> e.getSuspectId().equals(stuck.getSuspectId()))
              .anyMatch(e -> e.getRelatedSuspects().contains(heap.getSuspectId()));
      assertTrue(named, () -> heap.getSite().getFunction() + " not related: " + describe(events));
    }
    for (LeakSuspect e : events) {
      Set<String> others = e.getKind() == SuspectKind.HEAP ? Set.of(stuck.getSuspectId()) : heapIds;
      assertTrue(others.containsAll(e.getRelatedSuspects()), () -> "unexpected relation: " + describe(events));
    }
  }

  private static String describe(List<LeakSuspect> events) {
    return events.stream().map(e -> e.getStatus() + " " + e.getKind() + " " + e.getSite().getFunction() + ":"
        + e.getSite().getLine() + " " + e.getSuspectId().substring(0, 8) + " related " + e.getRelatedSuspects()
        + " at " + e.getDetectedAt()).collect(Collectors.joining("\n  ", "\n  ", ""));
  }
}
