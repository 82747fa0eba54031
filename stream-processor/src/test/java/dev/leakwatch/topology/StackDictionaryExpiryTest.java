package dev.leakwatch.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.topology.eval.CorpusScenario;
import dev.leakwatch.topology.window.ServiceWindow;
import dev.leakwatch.topology.window.StackDictionary;
import dev.leakwatch.detect.site.StackIds;
import dev.leakwatch.topology.window.StackLastSeen;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stack dictionary forgets stacks no window has held for longer than the window retention,
 * and never loses the frames of a stack that windows still hold. Real Go profiles, re-timed.
 */
class StackDictionaryExpiryTest {

  private static final String SERVICE = "svc";
  private static final Duration RETENTION = Duration.ofHours(2);
  private static final long T0 = 1_780_000_000_000L;
  private static final long HOUR = 3_600_000L;

  @TempDir Path temp;

  private static TopologyConfig config() {
    return TopologyConfig.defaults().withWindows(Duration.ofMinutes(1), RETENTION, 100_000);
  }

  private static List<CorpusScenario.Capture> heap(String scenario, int count) {
    return Fixtures.captures(Fixtures.scenario(scenario),
        c -> c.type().equals("heap") && c.instance().equals("replica-0")).subList(0, count);
  }

  @Test
  void shouldDropStacksNoWindowHeldForLongerThanTheRetention() {
    try (TopologyHarness h = TopologyHarness.create(config(), temp)) {
      pipe(h, heap("M", 3), T0, 10_000);
      Set<Long> before = dictionaryIds(h);
      assertEquals(windowStacks(h, T0, T0 + HOUR), before, "the dictionary holds the stacks of the windows");

      long later = T0 + 3 * HOUR;
      pipe(h, heap("G", 3), later, 10_000);

      Set<Long> after = dictionaryIds(h);
      Set<Long> recent = windowStacks(h, later, later + HOUR);
      assertEquals(recent, after, "only the stacks of windows within the retention keep their frames");
      Set<Long> gone = new HashSet<>(before);
      gone.removeAll(recent);
      assertFalse(gone.isEmpty(), "the first service version had stacks the second one lacks");
      KeyValueStore<String, byte[]> index = h.driver.getKeyValueStore(TopologyNames.STACK_LAST_SEEN_STORE);
      // the sweep ran before the new version's frames arrived: it knows the survivors, and learns
      // of the new stacks at the next sweep
      Set<Long> indexed = StackLastSeen.fromBytes(index.get(SERVICE)).lastSeen().keySet();
      assertTrue(after.containsAll(indexed));
      assertTrue(indexed.stream().noneMatch(gone::contains));
    }
  }

  @Test
  void shouldShipFramesAgainWhenTheInstancesPreviousCaptureIsOlderThanTheRetention() {
    try (TopologyHarness h = TopologyHarness.create(config(), temp)) {
      pipe(h, heap("M", 3), T0, 10_000);
      long later = T0 + 3 * HOUR;
      pipe(h, heap("M", 3), later, 10_000);

      Set<Long> recent = windowStacks(h, later, later + HOUR);
      assertFalse(recent.isEmpty());
      assertEquals(recent, dictionaryIds(h), "the same instance's stacks are back in the dictionary");
    }
  }

  @Test
  void shouldWriteFramesAgainWhenAStackComesBackAfterASweepOfALiveServiceDroppedThem() {
    long step = 20 * 60_000L;
    try (TopologyHarness h = TopologyHarness.create(config(), temp)) {
      pipe(h, heap("M", 3), T0, 10_000);
      Set<Long> first = windowStacks(h, T0, T0 + 60_000);
      // the same instance, another program version, every 20 min for 4 h: the service stays live
      // (no retirement), sweeps run, and the first version's stacks leave the dictionary
      List<CorpusScenario.Capture> other = heap("G", 12);
      pipe(h, other, T0 + step, step);
      long back = T0 + 13 * step;
      Set<Long> dropped = new HashSet<>(first);
      dropped.removeAll(dictionaryIds(h));
      assertFalse(dropped.isEmpty(), "a sweep dropped some of the first version's stacks");

      pipe(h, heap("M", 3), back, 10_000);

      Set<Long> dictionary = dictionaryIds(h);
      assertTrue(dictionary.containsAll(windowStacks(h, back, back + 60_000)),
          "frames missing for " + dropped.stream().filter(id -> !dictionary.contains(id)).toList());
    }
  }

  @Test
  void shouldKeepEveryStackThatRetainedWindowsHoldWhileCapturesContinue() {
    List<CorpusScenario.Capture> captures = heap("M", 30);
    long step = 20 * 60_000L; // 30 captures over 10 h: several sweeps and expiries
    try (TopologyHarness h = TopologyHarness.create(config(), temp)) {
      pipe(h, captures, T0, step);
      long last = T0 + (captures.size() - 1) * step;

      Set<Long> retained = windowStacks(h, last - RETENTION.toMillis() + 60_000, last + 60_000);
      Set<Long> dictionary = dictionaryIds(h);
      assertTrue(dictionary.containsAll(retained),
          "frames missing for " + retained.stream().filter(id -> !dictionary.contains(id)).toList());
      assertTrue(retained.containsAll(windowStacks(h, last, last + 60_000)));
    }
  }

  @Test
  void shouldForgetTheDictionaryOfAServiceThatStoppedSendingOnceItsWindowsExpired() {
    try (TopologyHarness h = TopologyHarness.create(config(), temp)) {
      h.pipeEvery("retired", heap("M", 3), T0, 10_000);
      assertFalse(h.storeKeys(TopologyNames.STACK_DICTIONARY_STORE).isEmpty());

      // other services keep the task's stream time going; the retired one never sends again
      pipe(h, heap("G", 3), T0 + 4 * HOUR, 10_000);

      assertTrue(h.storeKeys(TopologyNames.STACK_DICTIONARY_STORE).stream().noneMatch(k -> k.startsWith("retired#")),
          "the retired service's frames are gone");
      assertEquals(Set.of(SERVICE), h.storeKeys(TopologyNames.STACK_LAST_SEEN_STORE));
      assertEquals(windowStacks(h, T0 + 4 * HOUR, T0 + 5 * HOUR), dictionaryIds(h),
          "the live service keeps the frames of its windows");
    }
  }

  @Test
  void shouldWriteFramesAgainForAServiceThatSendsAgainAfterItsDictionaryWasForgotten() {
    try (TopologyHarness h = TopologyHarness.create(config(), temp)) {
      h.pipeEvery("retired", heap("M", 3), T0, 10_000);
      pipe(h, heap("G", 3), T0 + 4 * HOUR, 10_000);
      assertTrue(h.storeKeys(TopologyNames.STACK_DICTIONARY_STORE).stream().noneMatch(k -> k.startsWith("retired#")));

      long back = T0 + 4 * HOUR + 60_000;
      h.pipeEvery("retired", heap("M", 3), back, 10_000);

      Set<String> keys = h.storeKeys(TopologyNames.STACK_DICTIONARY_STORE);
      WindowStore<String, byte[]> windows = h.driver.getWindowStore(TopologyNames.SERVICE_WINDOWS_STORE);
      ServiceWindow w = ServiceWindow.fromBytes(windows.fetch("retired", Math.floorDiv(back, 60_000) * 60_000));
      List<Long> missing = w.heapStacks().keySet().stream()
          .filter(id -> id != StackIds.OTHER && !keys.contains(StackDictionary.key("retired", id))).toList();
      assertTrue(missing.isEmpty(), "frames missing for " + missing);
    }
  }

  @Test
  void shouldKeepTheDictionaryOfAQuietServiceWhileItsWindowsAreRetained() {
    try (TopologyHarness h = TopologyHarness.create(config(), temp)) {
      h.pipeEvery("quiet", heap("M", 3), T0, 10_000);
      Set<String> before = h.storeKeys(TopologyNames.STACK_DICTIONARY_STORE);

      pipe(h, heap("G", 3), T0 + 2 * HOUR, 10_000);

      assertTrue(h.storeKeys(TopologyNames.STACK_DICTIONARY_STORE).containsAll(before));
      assertEquals(Set.of("quiet", SERVICE), h.storeKeys(TopologyNames.STACK_LAST_SEEN_STORE));
    }
  }

  private static void pipe(TopologyHarness h, List<CorpusScenario.Capture> captures, long start, long stepMs) {
    for (int i = 0; i < captures.size(); i++) {
      h.pipeAt(SERVICE, captures.get(i), start + i * stepMs);
    }
  }

  private static Set<Long> dictionaryIds(TopologyHarness h) {
    KeyValueStore<String, byte[]> dictionary = h.driver.getKeyValueStore(TopologyNames.STACK_DICTIONARY_STORE);
    Set<Long> ids = new HashSet<>();
    try (KeyValueIterator<String, byte[]> it = dictionary.all()) {
      while (it.hasNext()) {
        KeyValue<String, byte[]> kv = it.next();
        ids.add(StackDictionary.idOf(SERVICE, kv.key).orElseThrow());
        assertFalse(StackDictionary.decode(kv.value).isEmpty());
      }
    }
    return ids;
  }

  /** The stack ids (other than OTHER) of the service's windows starting in [fromMs, toMs). */
  private static Set<Long> windowStacks(TopologyHarness h, long fromMs, long toMs) {
    WindowStore<String, byte[]> windows = h.driver.getWindowStore(TopologyNames.SERVICE_WINDOWS_STORE);
    Set<Long> ids = new HashSet<>();
    try (WindowStoreIterator<byte[]> it = windows.fetch(SERVICE, fromMs, toMs - 1)) {
      while (it.hasNext()) {
        ServiceWindow w = ServiceWindow.fromBytes(it.next().value);
        ids.addAll(w.heapStacks().keySet());
        ids.addAll(w.goroutineStacks().keySet());
      }
    }
    ids.remove(StackIds.OTHER);
    return ids;
  }
}

