package dev.leakwatch.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.detect.DetectionConfig;
import dev.leakwatch.schemas.avro.SuspectStatus;
import dev.leakwatch.detect.series.InstanceSeries;
import dev.leakwatch.processor.ProcessorConfig;
import dev.leakwatch.schemas.avro.LeakSuspect;
import dev.leakwatch.processor.ProcessorRuntime;
import dev.leakwatch.topology.eval.CorpusScenario;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A processor restarted with changed settings over the state its earlier settings wrote (docs/OPERATIONS.md,
 * "Upgrades", changing settings): the first driver runs with the old settings and its state directory is
 * kept, the second starts over it with the new ones. Real Go profiles, re-timed; real RocksDB.
 */
class ConfigChangeRestartTest {

  private static final long T0 = 1_780_000_000_000L;
  private static final long STEP = 15_000L;
  private static final String SERVICE = "checkout";
  private static final String KEY = SERVICE + "/replica-0/HEAP";

  @TempDir Path temp;

  /** The first {@code count} heap captures of replica-0 of a recorded leak. */
  private static List<CorpusScenario.Capture> heaps(int count) {
    return Fixtures.captures(Fixtures.scenario("G"),
        c -> c.type().equals("heap") && c.instance().equals("replica-0")).subList(0, count);
  }

  private static TopologyConfig withDetection(DetectionConfig.Builder b) {
    return TopologyConfig.defaults().withDetection(b.build());
  }

  private static DetectionConfig.Builder detection() {
    return TopologyConfig.defaults().detection().toBuilder();
  }

  private InstanceSeries series(TopologyHarness h) {
    return InstanceSeries.fromBytes(h.stored(TopologyNames.INSTANCE_SERIES_STORE, KEY));
  }

  /**
   * Runs {@code captures} under {@code before} and returns the state directory it leaves, as a stopped
   * processor leaves it. A driver's close deletes its task's directory: the driver's task directory is a
   * link to the kept one, so that the deletion takes the link only.
   */
  private Path runAndKeep(TopologyConfig before, List<CorpusScenario.Capture> captures,
      Consumer<TopologyHarness> check) {
    Path kept = temp.resolve("kept");
    link(kept);
    try (TopologyHarness h = new TopologyHarness(before, temp.resolve("first"), Instant.ofEpochMilli(T0))) {
      h.pipeEvery(SERVICE, captures, T0, STEP);
      check.accept(h);
    }
    return kept;
  }

  /** Makes the task directory of a driver over {@code temp/first} a link to the one under {@code kept}. */
  private void link(Path kept) {
    Path first = temp.resolve("first");
    try {
      Files.createDirectories(kept.resolve("leakwatch-test/0_0"));
      Files.createDirectories(first.resolve("leakwatch-test"));
      Files.createSymbolicLink(first.resolve("leakwatch-test/0_0"), kept.resolve("leakwatch-test/0_0"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A harness under {@code after} over the state {@code captures} left under {@code before}. */
  private TopologyHarness restarted(TopologyConfig before, TopologyConfig after, List<CorpusScenario.Capture> captures,
      Consumer<TopologyHarness> check) {
    return new TopologyHarness(after, runAndKeep(before, captures, check),
        Instant.ofEpochMilli(T0 + captures.size() * STEP));
  }

  @Test
  void shouldTrimAStoredSeriesToTheNewWindowCapturesWhenRestartedWithFewer() {
    List<CorpusScenario.Capture> caps = heaps(14);
    try (TopologyHarness h = restarted(withDetection(detection().windowCaptures(12)),
        withDetection(detection().windowCaptures(6).minCaptures(6).evidencePerInstance(6)), caps.subList(0, 13),
        first -> assertEquals(12, series(first).size()))) {
      h.pipeAt(SERVICE, caps.get(13), T0 + 13 * STEP);

      InstanceSeries s = series(h);
      assertEquals(6, s.size());
      assertEquals(T0 + 13 * STEP, s.lastTimeMs());
      s.sites().forEach(t -> assertTrue(t.known() <= 6 && t.tracked() <= 6, "site " + t.id()));
      assertTrue(h.deadLetters().isEmpty(), "no stage failed on the longer stored series");
    }
  }

  @Test
  void shouldHoldAStoredSeriesToTheNewMaxTrackedSitesWhenRestartedWithFewer() {
    List<CorpusScenario.Capture> caps = heaps(6);
    try (TopologyHarness h = restarted(TopologyConfig.defaults(), withDetection(detection().maxTrackedSites(1)),
        caps.subList(0, 5), first -> assertTrue(series(first).sites().size() > 1, "sites: " + series(first).sites().size()))) {
      h.pipeAt(SERVICE, caps.get(5), T0 + 5 * STEP);

      assertEquals(1, series(h).sites().size());
      assertTrue(h.deadLetters().isEmpty());
    }
  }

  /** The processor's configuration over {@code stateDir}, as the harness names its application. */
  private static ProcessorConfig processor(Path stateDir, String retention) {
    return ProcessorConfig.parse(String.join("\n", "applicationId: leakwatch-test",
        "bootstrapServers: 127.0.0.1:1", // nothing is sent: the check comes first
        "stateDir: " + stateDir, "windows:", "  retention: " + retention, "http:", "  host: 127.0.0.1",
        "  port: 0", ""));
  }

  @Test
  void shouldRefuseToStartNamingWindowsRetentionWhenTheStateWasWrittenUnderAnotherRetention() throws IOException {
    Path kept = runAndKeep(TopologyConfig.defaults(), heaps(3), first -> { });
    // a first start of this release notes the segment size the state was written with
    new ProcessorRuntime(processor(kept, "7d")).close();

    for (String retention : List.of("1d", "3d", "14d")) {
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> new ProcessorRuntime(processor(kept, retention)).close(), retention);
      assertTrue(e.getMessage().startsWith("windows.retention: the state directory " + kept
          + " holds windows stored in segments of 302400000 ms (windows.retention 7d)"), e.getMessage());
      assertTrue(e.getMessage().contains("Set windows.retention back"), e.getMessage());
    }

    // the application's state deleted (the note left beside it): the new retention starts
    try (var files = Files.walk(kept.resolve("leakwatch-test"))) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
    new ProcessorRuntime(processor(kept, "1d")).close();
  }

  @Test
  void shouldRefuseToStartWhenSegmentsOfTheStateDoNotFitTheRetentionAndNothingNotedTheirSize() {
    Path kept = runAndKeep(TopologyConfig.defaults(), heaps(3), first -> { });

    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> new ProcessorRuntime(processor(kept, "5d")).close());
    assertTrue(e.getMessage().startsWith("windows.retention: the state directory " + kept
        + " holds windows stored in segments of another size"), e.getMessage());
  }

  @Test
  void shouldKeepTheStoredWindowsWhenRestartedWithTheSameRetention() {
    Path kept = runAndKeep(TopologyConfig.defaults(), heaps(3), first -> { });
    new ProcessorRuntime(processor(kept, "7d")).close();
    try (TopologyHarness h = new TopologyHarness(TopologyConfig.defaults(), kept, Instant.ofEpochMilli(T0 + 3 * STEP))) {
      try (var it = h.driver.<String, byte[]>getWindowStore(TopologyNames.SERVICE_WINDOWS_STORE)
          .fetch(SERVICE, T0 - 60_000, T0 + 3 * STEP)) {
        assertTrue(it.hasNext(), "the windows written before the restart are read");
      }
    }
  }

  @Test
  void shouldResolveAQuietSuspectAtTheFirstCaptureAndOpenNothingWhenRestartedWithAShorterResolveAfter() {
    CorpusScenario g = Fixtures.scenario("G");
    List<CorpusScenario.Capture> leaking = Fixtures.captures(g, c -> c.instance().equals("replica-1"));
    CorpusScenario.Capture plateau = leaking.stream().filter(c -> c.type().equals("heap")).reduce((a, b) -> b)
        .orElseThrow();
    long end = leaking.get(leaking.size() - 1).captureMs();
    int quiet = 40; // captures of a process that stopped growing: 10 minutes, within the old resolveAfter
    Path kept = temp.resolve("kept");
    link(kept);
    try (TopologyHarness first = new TopologyHarness(TopologyConfig.defaults(), temp.resolve("first"),
        Instant.ofEpochMilli(leaking.get(0).captureMs()))) {
      first.pipeAll(g.service(), leaking);
      for (int i = 1; i <= quiet; i++) {
        first.pipeAt(g.service(), plateau, end + i * STEP);
      }
      List<LeakSuspect> before = first.suspects();
      assertTrue(before.stream().anyMatch(e -> e.getStatus() == SuspectStatus.OPEN), "the leak opened: " + before);
      assertTrue(before.stream().noneMatch(e -> e.getStatus() == SuspectStatus.RESOLVED), "not yet resolved");
    }

    TopologyConfig shorter = withDetection(detection().resolveAfter(Duration.ofMinutes(5)));
    long next = end + (quiet + 1) * STEP;
    try (TopologyHarness h = new TopologyHarness(shorter, kept, Instant.ofEpochMilli(next))) {
      h.pipeAt(g.service(), plateau, next);

      List<LeakSuspect> after = h.suspects();
      assertFalse(after.isEmpty(), "the quiet suspect resolves");
      assertTrue(after.stream().allMatch(e -> e.getStatus() == SuspectStatus.RESOLVED), "only RESOLVED: " + after);
      assertTrue(after.stream().allMatch(e -> e.getDetectedAt().toEpochMilli() == next), "at the first capture");
    }
  }
}
