package dev.leakwatch.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leakwatch.detect.series.InstanceSeries;
import dev.leakwatch.schemas.avro.LeakSuspect;
import dev.leakwatch.schemas.avro.StackFrame;
import dev.leakwatch.schemas.avro.SuspectKind;
import dev.leakwatch.schemas.avro.SuspectStatus;
import dev.leakwatch.topology.eval.CorpusScenario;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The production topology on the project's recorded Go profiles (testdata/corpus), fed exactly as
 * agents publish them, with record timestamps = capture times.
 */
class LeakwatchTopologyTest {

  @TempDir Path temp;

  @Test
  void shouldOpenOneHeapSuspectAtTheRecordedLeakSite() {
    CorpusScenario g = Fixtures.scenario("G");
    List<LeakSuspect> events = replay(g, TopologyConfig.defaults());

    List<LeakSuspect> opens = opens(events, SuspectKind.HEAP);
    assertFalse(opens.isEmpty(), "heap leak detected: " + events);
    assertTrue(opens.stream().anyMatch(e -> blames(e, g.leakSiteFunctions())),
        "an OPEN blames one of " + g.leakSiteFunctions() + ": " + opens);
    assertEquals(g.service(), opens.get(0).getService());
    assertNoDuplicateOpen(events);
    assertTrue(events.stream().noneMatch(e -> e.getStatus() == SuspectStatus.RESOLVED),
        "nothing resolves while the leak still grows");
  }

  @Test
  void shouldOpenGoroutineSuspectAtTheRecordedLeakSite() {
    CorpusScenario h = Fixtures.scenario("H");
    List<LeakSuspect> events = replay(h, TopologyConfig.defaults());

    List<LeakSuspect> opens = opens(events, SuspectKind.GOROUTINE);
    assertTrue(opens.stream().anyMatch(e -> blames(e, h.leakSiteFunctions())),
        "an OPEN blames one of " + h.leakSiteFunctions() + ": " + events);
    assertNotNull(opens.get(0).getWaitReason(), "goroutine suspects say what they wait on");
    assertNoDuplicateOpen(events);
  }

  /** Plateau, sawtooth, burst, stable waiters, churn and many stable sites are not leaks. */
  @ParameterizedTest(name = "scenario {0}")
  @ValueSource(strings = {"I", "J", "K", "L", "M", "N"})
  void shouldRaiseNothingForServicesThatDoNotLeak(String id) {
    List<LeakSuspect> events = replay(Fixtures.scenario(id), TopologyConfig.defaults());

    assertEquals(List.of(), events.stream().map(e -> e.getStatus() + " " + e.getSite().getFunction()).toList());
  }

  @Test
  void shouldProcessAllocsProfilesWithoutASeriesOrAWindow() {
    CorpusScenario g = Fixtures.scenario("G");
    List<CorpusScenario.Capture> allocs = Fixtures.captures(g,
        c -> c.instance().equals("replica-0") && c.file().getFileName().toString().endsWith("-allocs.pb.gz"));
    assertFalse(allocs.isEmpty(), "the corpus records allocs profiles");

    try (TopologyHarness h = TopologyHarness.create(TopologyConfig.defaults(), temp)) {
      h.pipeAll(g.service(), allocs);
      assertEquals(allocs.size(), h.audit().size(), "every allocs profile is processed");
      assertEquals(List.of(), h.deadLetters());
      KeyValueStore<String, byte[]> series = h.driver.getKeyValueStore(TopologyNames.INSTANCE_SERIES_STORE);
      assertEquals(null, series.get(g.service() + "/replica-0/ALLOCS"), "allocs profiles are not analysed");
    }
  }

  @Test
  void shouldStartANewSeriesAtAProcessRestartWithoutResolvingOrFlaggingIt() {
    CorpusScenario g = Fixtures.scenario("G");
    List<CorpusScenario.Capture> replica0 = Fixtures.captures(g, c -> c.instance().equals("replica-0"));
    long restartedAt = restartOf(Fixtures.manifest("G"), "replica-0");
    long firstCaptureAfterRestart = replica0.stream().mapToLong(CorpusScenario.Capture::captureMs)
        .filter(t -> t > restartedAt).min().orElseThrow();

    try (TopologyHarness h = TopologyHarness.create(TopologyConfig.defaults(), temp)) {
      h.pipeAll(g.service(), replica0);
      KeyValueStore<String, byte[]> series = h.driver.getKeyValueStore(TopologyNames.INSTANCE_SERIES_STORE);
      InstanceSeries heap = InstanceSeries.fromBytes(series.get(g.service() + "/replica-0/HEAP"));

      assertEquals(1, heap.generation(), "one restart, one new series");
      assertEquals(firstCaptureAfterRestart, heap.generationStartMs());
      // the goroutine profile cannot show the restart (its total barely moves: the new process
      // starts the same goroutines); the heap series of the same instance told it
      InstanceSeries goroutines = InstanceSeries.fromBytes(series.get(g.service() + "/replica-0/GOROUTINE"));
      assertEquals(1, goroutines.generation(), "the goroutine series restarted with the process");
      assertTrue(goroutines.generationStartMs() >= firstCaptureAfterRestart,
          "not before the new process: " + goroutines.generationStartMs());
      List<LeakSuspect> events = h.suspects();
      assertTrue(events.stream().noneMatch(e -> e.getStatus() == SuspectStatus.RESOLVED),
          "the restart's drop is not read as recovery: " + events);
      assertTrue(events.stream().allMatch(e -> blames(e, g.leakSiteFunctions())),
          "the restart flags nothing but the leak: " + events);
    }
  }

  /** {@code restarts[0].restarted_unix_ms} of an instance in a manifest. */
  private static long restartOf(JsonNode manifest, String instance) {
    for (JsonNode i : manifest.path("instances")) {
      if (i.path("name").asText().equals(instance)) {
        long t = i.path("restarts").path(0).path("restarted_unix_ms").asLong(-1);
        assertTrue(t > 0, instance + " has a recorded restart");
        return t;
      }
    }
    throw new AssertionError("no instance " + instance);
  }

  private List<LeakSuspect> replay(CorpusScenario s, TopologyConfig config) {
    try (TopologyHarness h = TopologyHarness.create(config, temp)) {
      h.pipeAll(s.service(), Fixtures.captures(s, c -> true));
      return h.suspects();
    }
  }

  static List<LeakSuspect> opens(List<LeakSuspect> events, SuspectKind kind) {
    return events.stream().filter(e -> e.getStatus() == SuspectStatus.OPEN && e.getKind() == kind).toList();
  }

  static boolean blames(LeakSuspect e, List<String> functions) {
    return functions.contains(e.getSite().getFunction())
        || e.getStack().stream().map(StackFrame::getFunction).anyMatch(functions::contains);
  }

  static void assertNoDuplicateOpen(List<LeakSuspect> events) {
    Map<String, Long> opensPerSuspect = events.stream().filter(e -> e.getStatus() == SuspectStatus.OPEN)
        .collect(Collectors.groupingBy(LeakSuspect::getSuspectId, Collectors.counting()));
    opensPerSuspect.forEach((id, n) -> assertEquals(1L, n, "OPEN count of suspect " + id));
  }
}
