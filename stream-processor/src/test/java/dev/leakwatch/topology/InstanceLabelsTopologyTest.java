package dev.leakwatch.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.leakwatch.detect.series.InstanceLabels;
import dev.leakwatch.detect.series.InstanceSeries;
import dev.leakwatch.schemas.avro.ProfileEnvelope;
import dev.leakwatch.topology.eval.CorpusScenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-instance stage keeps the labels of each series' latest capture (version, region, ...) for
 * the query API, bounded: recorded Go profiles of session-store's replica-0 (scenario G) through the
 * production topology, with labels set in their envelopes as an agent's target configuration would.
 */
class InstanceLabelsTopologyTest {

  private static final String SERVICE = "session-store";
  private static final String HEAP_KEY = SERVICE + "/replica-0/HEAP";

  @TempDir Path temp;

  private static List<CorpusScenario.Capture> heapCaptures() {
    return Fixtures.captures(Fixtures.scenario("G"),
        c -> c.type().equals("heap") && c.instance().equals("replica-0"));
  }

  private static ProfileEnvelope labelled(CorpusScenario.Capture c, Map<String, String> labels) {
    ProfileEnvelope e = Fixtures.envelope(SERVICE, c, c.captureMs());
    e.setLabels(new HashMap<>(labels));
    return e;
  }

  private static InstanceSeries stored(TopologyHarness h, String key) {
    KeyValueStore<String, byte[]> store = h.driver.getKeyValueStore(TopologyNames.INSTANCE_SERIES_STORE);
    return InstanceSeries.fromBytes(store.get(key));
  }

  @Test
  void shouldKeepTheLabelsOfTheLatestCaptureWhenALaterCaptureChangesThem() {
    List<CorpusScenario.Capture> heap = heapCaptures();
    try (TopologyHarness h = TopologyHarness.create(TopologyConfig.defaults(), temp)) {
      for (int i = 0; i < 4; i++) {
        h.pipe(labelled(heap.get(i), Map.of("version", "1.4.1", "region", "eu-west-1")));
      }
      assertEquals(Map.of("region", "eu-west-1", "version", "1.4.1"), stored(h, HEAP_KEY).labels().asMap());

      // the rollout: the next capture carries the new version, and no region any more
      h.pipe(labelled(heap.get(4), Map.of("version", "1.4.2")));
      assertEquals(Map.of("version", "1.4.2"), stored(h, HEAP_KEY).labels().asMap());

      // a late capture of the old process (before the latest) is ignored, and so are its labels
      h.pipe(labelled(heap.get(2), Map.of("version", "1.4.1")));
      assertEquals(Map.of("version", "1.4.2"), stored(h, HEAP_KEY).labels().asMap());

      // a capture without labels clears them: the labels are the latest capture's, not a union
      h.pipe(labelled(heap.get(5), Map.of()));
      assertEquals(Map.of(), stored(h, HEAP_KEY).labels().asMap());
      assertEquals(6, stored(h, HEAP_KEY).size(), "the series took every capture but the late one");
    }
  }

  @Test
  void shouldKeepTheFirstLabelsInNameOrderAndSayTruncatedWhenTheyExceedTheBound() {
    Map<String, String> many = new HashMap<>();
    for (int i = 0; i < 20; i++) {
      many.put(String.format("team_%02d", i), "x".repeat(10));
    }
    many.put("version", "1.4.2");
    try (TopologyHarness h = TopologyHarness.create(TopologyConfig.defaults(), temp)) {
      h.pipe(labelled(heapCaptures().get(0), many));

      InstanceLabels kept = stored(h, HEAP_KEY).labels();
      assertEquals(InstanceLabels.MAX_LABELS, kept.size());
      assertEquals("team_00", kept.asMap().firstKey());
      assertEquals("team_15", kept.asMap().lastKey(), "team_16 .. team_19 and version dropped, in name order");
      assertTrue(kept.truncated());
    }
  }

  /**
   * A series a release before labels stored (the golden state of release 8f3863d, written by its own
   * topology from the same recording) is read and continued by the next capture, which adds its labels.
   */
  @Test
  void shouldContinueASeriesOfAReleaseBeforeLabelsAndAddTheNextCapturesLabels() throws Exception {
    String root = System.getProperty("leakwatch.testdata");
    assumeTrue(root != null, "system property leakwatch.testdata not set");
    Path golden = Path.of(root, "state", "8f3863d", "instance-series-session-store-replica-0-HEAP.bin");
    byte[] old = Files.readAllBytes(golden);
    InstanceSeries before = InstanceSeries.fromBytes(old);
    assertEquals(InstanceLabels.NONE, before.labels());
    List<CorpusScenario.Capture> heap = heapCaptures();
    CorpusScenario.Capture last = heap.get(heap.size() - 1);
    assertEquals(last.captureMs(), before.lastTimeMs(), "the golden series ends at the recording's last capture");

    try (TopologyHarness h = TopologyHarness.create(TopologyConfig.defaults(), temp)) {
      KeyValueStore<String, byte[]> store = h.driver.getKeyValueStore(TopologyNames.INSTANCE_SERIES_STORE);
      store.put(HEAP_KEY, old);
      ProfileEnvelope next = labelled(last, Map.of("version", "1.4.2"));
      next.setCaptureTime(java.time.Instant.ofEpochMilli(last.captureMs() + 1_000));
      h.pipe(next);

      InstanceSeries after = stored(h, HEAP_KEY);
      assertEquals(before.generation(), after.generation(), "the old series goes on: no new generation");
      assertEquals(before.lastTimeMs() + 1_000, after.lastTimeMs());
      assertEquals(Map.of("version", "1.4.2"), after.labels().asMap());
      assertFalse(after.labels().truncated());
    }
  }
}
