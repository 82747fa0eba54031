package dev.leakwatch.topology;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.leakwatch.detect.lifecycle.ServiceSuspects;
import dev.leakwatch.detect.series.InstanceSeries;
import dev.leakwatch.detect.series.TrackedSite;
import dev.leakwatch.topology.eval.CorpusScenario;
import dev.leakwatch.topology.window.InstanceSnapshot;
import dev.leakwatch.topology.window.ServiceWindow;
import dev.leakwatch.topology.window.StackDictionary;
import dev.leakwatch.topology.window.StackLastSeen;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.kstream.Windowed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes state values as THIS release's topology stores them (run in a checkout of the release whose
 * formats are to be kept): scenarios G (heap leak, replica-0 restarted) and H (goroutine leak) of
 * testdata/corpus piped in capture order through the production topology, and again as a backlog (G's
 * captures before H's) for a lifecycle entry whose reports arrived late; per chosen store entry the
 * stored bytes (NAME.bin) and what this release's codec reads from them (NAME.json). Needs a release
 * with the sites' peaks and the lifecycle's arrival times (deaf82e on; see the README).
 */
class GoldenStateWriter {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Test
  void writeGoldenState(@TempDir Path temp) throws Exception {
    Path out = Path.of(System.getProperty("golden.out"));
    Files.createDirectories(out);
    List<Object[]> captures = new ArrayList<>();
    for (String id : List.of("G", "H")) {
      CorpusScenario s = Fixtures.scenario(id);
      s.captures().forEach(c -> captures.add(new Object[] {s.service(), c}));
    }
    captures.sort(Comparator.comparingLong(o -> ((CorpusScenario.Capture) o[1]).captureMs()));
    try (TopologyHarness h = TopologyHarness.create(TopologyConfig.defaults(), temp)) {
      var repartition = h.driver.createOutputTopic("leakwatch-test-" + TopologyNames.REPORTS_BY_SERVICE
          + "-repartition", new org.apache.kafka.common.serialization.StringDeserializer(),
          new org.apache.kafka.common.serialization.ByteArrayDeserializer());
      captures.forEach(o -> h.pipe((String) o[0], (CorpusScenario.Capture) o[1]));
      // the repartition topic's records (ServiceReport): the first of session-store (an instance's
      // first capture ships the frames of all its stacks) and its last
      List<KeyValue<String, byte[]>> reports = repartition.readKeyValuesToList().stream()
          .filter(kv -> kv.key.equals("session-store")).toList();
      System.out.println("repartition records of session-store: " + reports.size());
      int n = 0;
      for (byte[] b : List.of(reports.get(0).value, reports.get(reports.size() - 1).value)) {
        write(out, "repartition-service-report-session-store-" + (n++ == 0 ? "first" : "last"), b,
            JSON.createObjectNode().put("key", "session-store")
                .put("reencodedEqual", Arrays.equals(b, ServiceReportSerde.encode(ServiceReportSerde.decode(b)))));
      }
      System.out.println("suspect events: " + h.suspects().size());

      KeyValueStore<String, byte[]> series = h.driver.getKeyValueStore(TopologyNames.INSTANCE_SERIES_STORE);
      try (KeyValueIterator<String, byte[]> it = series.all()) {
        it.forEachRemaining(kv -> System.out.println("series key " + kv.key + " " + kv.value.length + " bytes"));
      }
      for (String key : List.of("session-store/replica-0/HEAP", "push-worker/replica-1/GOROUTINE")) {
        byte[] b = series.get(key);
        write(out, "instance-series-" + key.replace('/', '-'), b, seriesJson(key, b, InstanceSeries.fromBytes(b)));
      }

      KeyValueStore<String, byte[]> snapshots = h.driver.getKeyValueStore(TopologyNames.INSTANCE_SNAPSHOT_STORE);
      for (String key : List.of("session-store/replica-0/HEAP", "push-worker/replica-1/GOROUTINE")) {
        byte[] b = snapshots.get(key);
        InstanceSnapshot s = InstanceSnapshot.fromBytes(b);
        ObjectNode j = JSON.createObjectNode().put("key", key);
        j.put("reencodedEqual", Arrays.equals(b, s.toBytes()));
        write(out, "instance-snapshot-" + key.replace('/', '-'), b, j);
      }

      for (String key : List.of("session-store", "push-worker")) {
        writeLifecycle(out, "suspect-lifecycle-" + key, h, key);
      }

      KeyValueStore<String, byte[]> lastSeen = h.driver.getKeyValueStore(TopologyNames.STACK_LAST_SEEN_STORE);
      byte[] ls = lastSeen.get("session-store");
      write(out, "stack-last-seen-session-store", ls, JSON.createObjectNode().put("key", "session-store")
          .put("reencodedEqual", Arrays.equals(ls, StackLastSeen.fromBytes(ls).toBytes())));

      KeyValueStore<String, byte[]> dictionary = h.driver.getKeyValueStore(TopologyNames.STACK_DICTIONARY_STORE);
      TreeMap<String, byte[]> entries = new TreeMap<>();
      try (KeyValueIterator<String, byte[]> it = dictionary.prefixScan(StackDictionary.prefix("session-store"),
          new org.apache.kafka.common.serialization.StringSerializer())) {
        it.forEachRemaining(kv -> entries.put(kv.key, kv.value));
      }
      Map.Entry<String, byte[]> deepest = entries.entrySet().stream()
          .max(Comparator.comparingInt((Map.Entry<String, byte[]> e) -> StackDictionary.decode(e.getValue()).size())
              .thenComparing(Map.Entry::getKey)).orElseThrow();
      ObjectNode dj = JSON.createObjectNode().put("key", deepest.getKey());
      ArrayNode frames = dj.putArray("frames");
      StackDictionary.decode(deepest.getValue()).forEach(f -> frames.addObject()
          .put("function", f.function()).put("file", f.file()).put("line", f.line()));
      write(out, "stack-dictionary-session-store", deepest.getValue(), dj);

      WindowStore<String, byte[]> windows = h.driver.getWindowStore(TopologyNames.SERVICE_WINDOWS_STORE);
      KeyValue<Windowed<String>, byte[]> latest = null;
      try (KeyValueIterator<Windowed<String>, byte[]> it = windows.all()) {
        while (it.hasNext()) {
          KeyValue<Windowed<String>, byte[]> kv = it.next();
          if (kv.key.key().equals("session-store")
              && (latest == null || kv.key.window().start() > latest.key.window().start())) {
            latest = kv;
          }
        }
      }
      ServiceWindow w = ServiceWindow.fromBytes(latest.value);
      write(out, "service-windows-session-store", latest.value, JSON.createObjectNode()
          .put("key", "session-store").put("windowStartMs", latest.key.window().start())
          .put("reencodedEqual", Arrays.equals(latest.value, w.toBytes())));
    }

    // The same captures read as after an outage, one service's backlog before the other's (G's, then H's):
    // push-worker's reports then arrive when the task's stream time is past its own captures, so its state
    // holds a lead (arrival after its latest capture), which capture order never gives.
    try (TopologyHarness h = TopologyHarness.create(TopologyConfig.defaults(), temp)) {
      for (String service : List.of("session-store", "push-worker")) {
        captures.stream().filter(o -> o[0].equals(service)).forEach(o -> h.pipe(service, (CorpusScenario.Capture) o[1]));
      }
      writeLifecycle(out, "suspect-lifecycle-backlog-push-worker", h, "push-worker");
    }
  }

  /** A lifecycle entry and what this release read from it: its times, its instances, its suspects. */
  private static void writeLifecycle(Path out, String name, TopologyHarness h, String key) throws Exception {
    byte[] b = h.stored(TopologyNames.SUSPECT_LIFECYCLE_STORE, key);
    ServiceSuspects s = ServiceSuspects.fromBytes(b);
    ObjectNode j = JSON.createObjectNode().put("key", key).put("version", (int) b[2]);
    j.put("reencodedEqual", Arrays.equals(b, s.toBytes()));
    j.put("streamTimeMs", s.streamTimeMs()).put("latestCaptureMs", s.latestCaptureMs())
        .put("arrivedAtMs", s.arrivedAtMs()).put("nowMs", s.nowMs());
    ObjectNode instances = j.putObject("instances");
    s.instances().forEach((n, i) -> instances.putObject(n).put("lastSeenMs", i.lastSeenMs())
        .put("memoryLimitBytes", i.memoryLimitBytes()).put("heapInuseBytes", i.heapInuseBytes()));
    ArrayNode open = j.putArray("openSuspects");
    s.suspects().values().stream().filter(st -> st.open()).forEach(st -> open.add(st.id()));
    write(out, name, b, j);
  }

  private static ObjectNode seriesJson(String key, byte[] bytes, InstanceSeries s) {
    ObjectNode j = JSON.createObjectNode().put("key", key);
    j.put("kind", s.kind().name()).put("generation", s.generation()).put("generationStartMs", s.generationStartMs())
        .put("samplingPeriod", s.samplingPeriod()).put("lastAllocObjects", s.lastAllocObjects())
        .put("lastAllocBytes", s.lastAllocBytes()).put("lastRestartMs", s.lastRestartMs())
        .put("reencodedEqual", Arrays.equals(bytes, s.toBytes()));
    ObjectNode labels = j.putObject("labels");
    s.labels().asMap().forEach(labels::put);
    ArrayNode times = j.putArray("times");
    ArrayNode totals = j.putArray("totals");
    for (int i = 0; i < s.size(); i++) {
      times.add(s.timeMs(i));
      totals.add(s.total(i));
    }
    ArrayNode sites = j.putArray("sites");
    for (TrackedSite t : s.sites()) {
      ObjectNode o = sites.addObject().put("id", Long.toHexString(t.id())).put("risen", t.risen())
          .put("initialLevel", t.initialLevel()).put("quietUntilMs", t.quietUntilMs()).put("tracked", t.tracked())
          .put("peak", t.peak()).put("climbPast", t.climbPast());
      ArrayNode values = o.putArray("knownValues");
      for (long v : t.knownValues()) {
        values.add(v);
      }
      ArrayNode lifetimes = o.putArray("knownLifetimes");
      for (int v : t.knownLifetimes()) {
        lifetimes.add(v);
      }
    }
    return j;
  }

  private static void write(Path out, String name, byte[] bytes, ObjectNode json) throws Exception {
    Files.write(out.resolve(name + ".bin"), bytes);
    JSON.writeValue(out.resolve(name + ".json").toFile(), json);
  }
}
