package dev.leakwatch.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.topology.eval.CorpusScenario;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An instance that stops sending (a pod replaced by a deploy, a host decommissioned) leaves its
 * per-instance state once no capture of it is younger than the window retention: in a fleet whose
 * instance names change with every rollout, state that stayed would grow without bound. Real Go
 * profiles, re-timed.
 */
class InstanceStateExpiryTest {

  private static final Duration RETENTION = Duration.ofHours(2);
  private static final long T0 = 1_780_000_000_000L;
  private static final long HOUR = 3_600_000L;
  private static final long STEP = 10_000L;

  @TempDir Path temp;

  private static TopologyConfig config() {
    return TopologyConfig.defaults().withWindows(Duration.ofMinutes(1), RETENTION, 100_000);
  }

  /** The first {@code count} heap and goroutine captures of replica-0 of a recorded scenario. */
  private static List<CorpusScenario.Capture> captures(String scenario, int count) {
    return Fixtures.captures(Fixtures.scenario(scenario),
        c -> (c.type().equals("heap") || c.type().equals("goroutine")) && c.instance().equals("replica-0"))
        .subList(0, count);
  }

  @Test
  void shouldForgetAnInstanceWhoseLastCaptureIsOlderThanTheRetention() {
    try (TopologyHarness h = TopologyHarness.create(config(), temp)) {
      h.pipeEvery("old-release", captures("M", 6), T0, STEP);
      assertEquals(Set.of("old-release/replica-0/GOROUTINE", "old-release/replica-0/HEAP"),
          h.storeKeys(TopologyNames.INSTANCE_SERIES_STORE));

      h.pipeEvery("new-release", captures("G", 6), T0 + 3 * HOUR, STEP);

      Set<String> live = Set.of("new-release/replica-0/GOROUTINE", "new-release/replica-0/HEAP");
      assertEquals(live, h.storeKeys(TopologyNames.INSTANCE_SERIES_STORE));
      assertEquals(live, h.storeKeys(TopologyNames.INSTANCE_SNAPSHOT_STORE));
    }
  }

  @Test
  void shouldSweepInSlicesSoThatNoPunctuationReadsEverySeriesAtOnce() {
    int gone = InstanceProcessor.SWEEP_BATCH + 100;
    CorpusScenario.Capture heap = captures("M", 2).stream().filter(c -> c.type().equals("heap")).findFirst()
        .orElseThrow();
    try (TopologyHarness h = TopologyHarness.create(config(), temp)) {
      for (int i = 0; i < gone; i++) {
        h.pipeAt("old-release", new CorpusScenario.Capture(String.format("pod-%05d", i), heap.type(), heap.captureMs(), heap.file()), T0 + i);
      }
      assertEquals(gone, h.storeKeys(TopologyNames.INSTANCE_SERIES_STORE).size());

      // the first slice, past the retention: the new series and the first old ones
      h.pipeEvery("new-release", captures("G", 2), T0 + 3 * HOUR, STEP);
      Set<String> left = h.storeKeys(TopologyNames.INSTANCE_SERIES_STORE);
      long oldLeft = left.stream().filter(k -> k.startsWith("old-release/")).count();
      // one slice reads SWEEP_BATCH series, the new release's live ones (at most two) among them
      assertTrue(oldLeft >= gone - InstanceProcessor.SWEEP_BATCH && oldLeft <= gone - InstanceProcessor.SWEEP_BATCH + 2,
          "old series left after one slice: " + oldLeft);

      // the next slice, a sweep period later, goes on where the first stopped
      h.pipeEvery("new-release", captures("G", 2), T0 + 3 * HOUR + InstanceProcessor.SWEEP_PERIOD.toMillis(), STEP);
      Set<String> live = Set.of("new-release/replica-0/GOROUTINE", "new-release/replica-0/HEAP");
      assertEquals(live, h.storeKeys(TopologyNames.INSTANCE_SERIES_STORE));
      assertEquals(live, h.storeKeys(TopologyNames.INSTANCE_SNAPSHOT_STORE));
    }
  }

  /**
   * After a downgrade, the series a newer release wrote for instances that no longer report stay
   * unreadable (left alone for a later release). The sweep reads them again every pass: that was an
   * ERROR line per entry and pass, for good; now a line when their number changes.
   */
  @Test
  void shouldNotLogAnUnreadableSeriesAgainAtEverySweepWhenItStays() {
    // 12 captures a minute apart: a slice of the sweep (here, every series) each minute
    List<String> lines = unreadableLines(TopologyNames.INSTANCE_SERIES_STORE, "gone/replica-0/HEAP", 12,
        InstanceProcessor.SWEEP_PERIOD.toMillis());
    assertEquals(1, lines.size(), "once, not at every slice: " + lines);
  }

  /** The same for a newer release's stack last-seen index of a service that stopped: its sweep runs hourly. */
  @Test
  void shouldNotLogAnUnreadableLastSeenIndexAgainAtEverySweepWhenItStays() {
    List<String> lines = unreadableLines(TopologyNames.STACK_LAST_SEEN_STORE, "gone", 6, HOUR);
    assertEquals(1, lines.size(), "once, not at every sweep: " + lines);
  }

  /**
   * The lines saying "unreadable" while {@code count} captures of another service arrive {@code stepMs}
   * apart, after service "gone"'s entry {@code key} of {@code store} was given a format version to come.
   */
  private List<String> unreadableLines(String store, String key, int count, long stepMs) {
    PrintStream stderr = System.err; // where slf4j-simple writes
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    try (TopologyHarness h = TopologyHarness.create(config(), temp)) {
      h.pipeEvery("gone", captures("M", 2), T0, STEP);
      byte[] newer = h.stored(store, key).clone();
      newer[2] = 99; // the format version: a release to come
      h.store(store, key, newer);
      System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
      try {
        h.pipeEvery("live", captures("G", count), T0 + HOUR, stepMs);
      } finally {
        System.setErr(stderr);
      }
      assertTrue(h.storeKeys(store).contains(key), "left alone");
    }
    return log.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("unreadable")).toList();
  }

  @Test
  void shouldKeepAnInstanceWhoseLastCaptureIsWithinTheRetention() {
    try (TopologyHarness h = TopologyHarness.create(config(), temp)) {
      h.pipeEvery("quiet", captures("M", 6), T0, STEP);
      h.pipeEvery("busy", captures("G", 6), T0 + HOUR, STEP);
      h.pipeEvery("busy", captures("G", 6), T0 + HOUR + HOUR / 2, STEP);

      Set<String> all = Set.of("busy/replica-0/GOROUTINE", "busy/replica-0/HEAP",
          "quiet/replica-0/GOROUTINE", "quiet/replica-0/HEAP");
      assertEquals(all, h.storeKeys(TopologyNames.INSTANCE_SERIES_STORE));
      assertEquals(all, h.storeKeys(TopologyNames.INSTANCE_SNAPSHOT_STORE));
    }
  }

}
