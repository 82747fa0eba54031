package dev.leakwatch.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.pprof.Profile;
import dev.leakwatch.pprof.ProfileDecoder;
import dev.leakwatch.schemas.avro.LeakSuspect;
import dev.leakwatch.schemas.avro.ProfileEnvelope;
import dev.leakwatch.schemas.avro.SuspectKind;
import dev.leakwatch.topology.eval.CorpusReader;
import dev.leakwatch.topology.eval.CorpusScenario;
import dev.leakwatch.topology.eval.EvalReport;
import dev.leakwatch.topology.eval.Evaluation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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

  private static Path corpus() {
    return Fixtures.testdata("related");
  }

  private static CorpusScenario scenario() {
    return CorpusReader.read(corpus()).stream().filter(s -> s.id().equals("X")).findFirst().orElseThrow();
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

  @Test
  void shouldPrintOneLinePerRelatedPairInTheEvalReport() throws IOException {
    EvalReport report = Evaluation.run(corpus(), TopologyConfig.defaults(), temp, s -> { });
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    report.print(new PrintStream(text, true, StandardCharsets.UTF_8));
    List<String> lines = List.of(text.toString(StandardCharsets.UTF_8).split("\n"));
    String goroutines = " ~ goroutine " + PUSH + "resolveDevice [";
    List<String> related = lines.stream().filter(l -> l.startsWith("X   related heap ")).toList();
    assertEquals(Set.of(PUSH + "resolveDevice", "runtime.malg", PUSH + "handlePush"),
        related.stream().map(l -> l.substring("X   related heap ".length(), l.indexOf(" [")))
            .collect(Collectors.toSet()), () -> String.join("\n", lines));
    assertTrue(related.stream().allMatch(l -> l.contains(goroutines)), () -> String.join("\n", lines));
    assertEquals(3, related.size(), () -> String.join("\n", lines));
    assertTrue(lines.get(lines.size() - 1).startsWith("eval: "), "the summary line stays last");
  }

  /**
   * The goroutine suspect opens long before the heap its goroutines hold grows past the floors, and its stacks
   * are not in the heap profile: with the memory limit known it is projected from the instance's in-use heap
   * and its stranded goroutines at Go's smallest stack each.
   */
  @Test
  void shouldProjectTheGoroutineLeakFromTheStacksItStrandsWhenTheMemoryLimitIsKnown() {
    CorpusScenario x = scenario();
    long limit = 256L << 20;
    List<CorpusScenario.Capture> captures = Fixtures.captures(x, c -> true);
    List<LeakSuspect> events;
    try (TopologyHarness h = TopologyHarness.create(TopologyConfig.defaults(), temp)) {
      for (CorpusScenario.Capture c : captures) {
        h.pipe(ProfileEnvelope.newBuilder(Fixtures.envelope(x.service(), c, c.captureMs()))
            .setMemoryLimitBytes(limit).build());
      }
      events = h.suspects();
    }
    LeakSuspect open = LeakwatchTopologyTest.opens(events, SuspectKind.GOROUTINE).get(0);
    assertTrue(LeakwatchTopologyTest.opens(events, SuspectKind.HEAP).stream()
        .allMatch(heap -> heap.getDetectedAt().isAfter(open.getDetectedAt())), () -> describe(events));
    assertEquals(List.of(open.getInstances().get(0)), open.getInstances(), "one instance, whose rate is the event's");
    String instance = open.getInstances().get(0);
    // the instance's latest heap capture piped before the goroutine capture that opened the suspect
    int trigger = captures.indexOf(captures.stream().filter(c -> c.instance().equals(instance)
        && c.type().equals("goroutine") && c.captureMs() == open.getDetectedAt().toEpochMilli()).findFirst().orElseThrow());
    CorpusScenario.Capture heap = captures.subList(0, trigger).stream()
        .filter(c -> c.instance().equals(instance) && c.type().equals("heap"))
        .reduce((a, b) -> b).orElseThrow();
    Profile p = ProfileDecoder.decode(Fixtures.bytes(heap.file()));
    long inuse = p.totalValue(p.sampleIndex("inuse_space"));
    double ms = (limit - inuse) / (open.getGrowthRate() * 2048) * 3_600_000.0;
    assertEquals(open.getDetectedAt().toEpochMilli() + (long) Math.ceil(ms), open.getProjectedExhaustion().toEpochMilli(),
        () -> "in use " + inuse + " bytes, " + open.getGrowthRate() + " goroutines/hour");
    assertEquals(limit, open.getMemoryLimitBytes());
  }

  private static String describe(List<LeakSuspect> events) {
    return events.stream().map(e -> e.getStatus() + " " + e.getKind() + " " + e.getSite().getFunction() + ":"
        + e.getSite().getLine() + " " + e.getSuspectId().substring(0, 8) + " related " + e.getRelatedSuspects()
        + " at " + e.getDetectedAt()).collect(Collectors.joining("\n  ", "\n  ", ""));
  }
}
