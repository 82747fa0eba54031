package dev.leakwatch.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.leakwatch.detect.SiteFrame;
import dev.leakwatch.pprof.Frame;
import dev.leakwatch.pprof.Profile;
import dev.leakwatch.pprof.ProfileDecoder;
import dev.leakwatch.pprof.Sample;
import dev.leakwatch.topology.eval.CorpusScenario;
import dev.leakwatch.topology.window.ServiceWindow;
import dev.leakwatch.topology.window.StackDictionary;
import dev.leakwatch.topology.window.StackValues;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service-windows store and the stack dictionary, checked against values computed here
 * directly from the decoded profiles: in-use summed over the window's heap captures of all
 * instances (the store's average divides by that count), allocations as the growth of each
 * instance's cumulative counters across the window, goroutines summed per stack.
 */
class ServiceWindowStoreTest {

  private static final long WINDOW_MS = 10_000;

  @TempDir Path temp;

  @Test
  void shouldAggregateEveryStackOfTheServicePerWindowAsTheProfilesSay() {
    CorpusScenario m = Fixtures.scenario("M");
    List<CorpusScenario.Capture> captures = Fixtures.captures(m, c -> true); // allocs included: not counted twice
    TopologyConfig config = TopologyConfig.defaults().withWindows(Duration.ofMillis(WINDOW_MS), Duration.ofDays(1), 100_000);
    Map<Long, Expected> expected = expectedWindows(captures);

    try (TopologyHarness h = TopologyHarness.create(config, temp)) {
      h.pipeAll(m.service(), captures);
      WindowStore<String, byte[]> windows = h.driver.getWindowStore(TopologyNames.SERVICE_WINDOWS_STORE);
      KeyValueStore<String, byte[]> dictionary = h.driver.getKeyValueStore(TopologyNames.STACK_DICTIONARY_STORE);
      Map<Long, ServiceWindow> stored = new TreeMap<>();
      try (KeyValueIterator<Windowed<String>, byte[]> it = windows.all()) {
        while (it.hasNext()) {
          KeyValue<Windowed<String>, byte[]> kv = it.next();
          if (ChangelogAnchor.isAnchor(kv.key.key())) {
            assertEquals(0, kv.value.length, "the anchor holds nothing");
            continue;
          }
          assertEquals(m.service(), kv.key.key());
          stored.put(kv.key.window().start(), ServiceWindow.fromBytes(kv.value));
        }
      }

      assertEquals(expected.keySet(), stored.keySet(), "one window per 10 s that had captures");
      for (Map.Entry<Long, Expected> e : expected.entrySet()) {
        ServiceWindow w = stored.get(e.getKey());
        Expected x = e.getValue();
        String at = "window " + e.getKey() + ": ";
        assertEquals(x.heapCaptures, w.heapCaptures(), at + "heap captures");
        assertEquals(x.goroutineCaptures, w.goroutineCaptures(), at + "goroutine captures");
        assertEquals(List.of("replica-0", "replica-1"), List.copyOf(w.instances()), at + "instances");
        assertEquals(x.heap.size(), w.heapStacks().size(), at + "heap stacks");
        for (StackValues v : w.heapStacks().values()) {
          long[] want = x.heap.get(frames(dictionary, m.service(), v.stackId()));
          assertNotNull(want, at + "stored stack is in the profiles");
          assertEquals(want[0], v.inuseBytes(), at + "in-use bytes sum");
          assertEquals(want[1], v.inuseObjects(), at + "in-use objects sum");
          assertEquals(want[2], v.allocBytes(), at + "allocated bytes");
          assertEquals(want[3], v.allocObjects(), at + "allocated objects");
          assertEquals((double) want[0] / x.heapCaptures, w.averageInuseBytes(v.stackId()), 1e-9);
        }
        assertEquals(x.goroutines.size(), w.goroutineStacks().size(), at + "goroutine stacks");
        for (StackValues v : w.goroutineStacks().values()) {
          assertEquals(x.goroutines.get(frames(dictionary, m.service(), v.stackId())), v.goroutines(), at + "goroutines");
        }
      }
      assertFalse(stored.isEmpty());
    }
  }

  /** Per window: capture counts, per stack (as text) {inuse bytes, inuse objects, alloc bytes, alloc objects}. */
  private static final class Expected {
    long heapCaptures;
    long goroutineCaptures;
    final Map<String, long[]> heap = new HashMap<>();
    final Map<String, Long> goroutines = new HashMap<>();
  }

  private static Map<Long, Expected> expectedWindows(List<CorpusScenario.Capture> captures) {
    Map<Long, Expected> out = new TreeMap<>();
    Map<String, Map<String, long[]>> previousCumulative = new HashMap<>(); // instance -> stack -> {bytes, objects}
    for (CorpusScenario.Capture c : captures) {
      if (c.type().equals("allocs")) {
        continue;
      }
      Expected x = out.computeIfAbsent(Math.floorDiv(c.captureMs(), WINDOW_MS) * WINDOW_MS, k -> new Expected());
      Profile p = ProfileDecoder.decode(Fixtures.bytes(c.file()));
      if (c.type().equals("goroutine")) {
        x.goroutineCaptures++;
        for (Sample s : p.samples()) {
          x.goroutines.merge(text(s.stack()), s.value(p.sampleIndex("goroutine")), Long::sum);
        }
        continue;
      }
      x.heapCaptures++;
      Map<String, long[]> now = new HashMap<>();
      for (Sample s : p.samples()) {
        String stack = text(s.stack());
        long[] sums = x.heap.computeIfAbsent(stack, k -> new long[4]);
        sums[0] += s.value(p.sampleIndex("inuse_space"));
        sums[1] += s.value(p.sampleIndex("inuse_objects"));
        long[] cum = now.computeIfAbsent(stack, k -> new long[2]);
        cum[0] += s.value(p.sampleIndex("alloc_space"));
        cum[1] += s.value(p.sampleIndex("alloc_objects"));
      }
      Map<String, long[]> before = previousCumulative.put(c.instance(), now);
      if (before != null) { // an instance's first capture is the baseline: no allocation to attribute
        for (Map.Entry<String, long[]> e : now.entrySet()) {
          long[] b = before.getOrDefault(e.getKey(), new long[2]);
          long[] sums = x.heap.get(e.getKey());
          sums[2] += e.getValue()[0] - b[0];
          sums[3] += e.getValue()[1] - b[1];
        }
      }
    }
    return out;
  }

  private static String text(List<Frame> stack) {
    StringBuilder sb = new StringBuilder();
    stack.forEach(f -> sb.append(f.function()).append(' ').append(f.file()).append(':').append(f.line()).append('\n'));
    return sb.toString();
  }

  private static String frames(KeyValueStore<String, byte[]> dictionary, String service, long stackId) {
    byte[] entry = dictionary.get(StackDictionary.key(service, stackId));
    assertNotNull(entry, "stack " + stackId + " is in the dictionary");
    StringBuilder sb = new StringBuilder();
    for (SiteFrame f : StackDictionary.decode(entry)) {
      sb.append(f.function()).append(' ').append(f.file()).append(':').append(f.line()).append('\n');
    }
    return sb.toString();
  }
}
