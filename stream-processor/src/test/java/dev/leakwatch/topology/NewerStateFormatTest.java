package dev.leakwatch.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leakwatch.detect.series.InstanceSeries;
import dev.leakwatch.topology.eval.CorpusScenario;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rolling back past a format change (docs/OPERATIONS.md "Upgrades"): an entry written by a newer
 * release, whose version this one cannot read, is logged and started afresh when a capture touches
 * it; it stops neither the stream thread nor the record (no dead letter), and leaves the other
 * entries alone. Simulated by raising the version byte of a stored series past the one this release
 * writes (deliberately unreadable bytes; the captures are the recorded Go profiles).
 */
class NewerStateFormatTest {

  @TempDir
  Path temp;

  @Test
  void shouldStartAnInstanceSeriesAfreshWhenANewerReleaseWroteIt() {
    CorpusScenario g = Fixtures.scenario("G");
    List<CorpusScenario.Capture> heap = Fixtures.captures(g,
        c -> c.instance().equals("replica-1") && c.type().equals("heap"));
    List<CorpusScenario.Capture> goroutine = Fixtures.captures(g,
        c -> c.instance().equals("replica-1") && c.type().equals("goroutine"));
    String heapKey = g.service() + "/replica-1/HEAP";
    String goroutineKey = g.service() + "/replica-1/GOROUTINE";

    try (TopologyHarness h = TopologyHarness.create(TopologyConfig.defaults(), temp)) {
      for (int i = 0; i < 10; i++) {
        h.pipe(g.service(), heap.get(i));
        h.pipe(g.service(), goroutine.get(i));
      }
      KeyValueStore<String, byte[]> series = h.driver.getKeyValueStore(TopologyNames.INSTANCE_SERIES_STORE);
      byte[] newer = series.get(heapKey);
      newer[2]++; // the version after the one this release writes
      series.put(heapKey, newer);
      byte[] goroutinesBefore = series.get(goroutineKey);

      // a goroutine capture reads the heap series too (for its restarts): unreadable, it is skipped
      h.pipe(g.service(), goroutine.get(10));
      assertArrayEquals(newer, series.get(heapKey), "a read alone does not rewrite the entry");
      h.pipe(g.service(), heap.get(10));

      assertEquals(List.of(), h.deadLetters());
      InstanceSeries afresh = InstanceSeries.fromBytes(series.get(heapKey));
      assertEquals(1, afresh.size(), "the series starts again with the capture that touched it");
      assertEquals(heap.get(10).captureMs(), afresh.lastTimeMs());
      InstanceSeries goroutines = InstanceSeries.fromBytes(series.get(goroutineKey));
      assertEquals(InstanceSeries.fromBytes(goroutinesBefore).size() + 1, goroutines.size(),
          "the instance's goroutine series goes on");
      assertEquals(goroutine.get(10).captureMs(), goroutines.lastTimeMs());
      assertEquals(22, h.audit().size(), "every capture processed");
    }
  }
}
