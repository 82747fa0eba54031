package dev.leakwatch.topology;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.detect.SiteFrame;
import dev.leakwatch.detect.site.StackIds;
import dev.leakwatch.pprof.DecodeLimits;
import dev.leakwatch.pprof.Function;
import dev.leakwatch.pprof.Line;
import dev.leakwatch.pprof.Location;
import dev.leakwatch.pprof.Profile;
import dev.leakwatch.pprof.ProfileDecoder;
import dev.leakwatch.pprof.ProfileWriter;
import dev.leakwatch.pprof.Sample;
import dev.leakwatch.processor.ProcessorConfig;
import dev.leakwatch.schemas.avro.ProfileEnvelope;
import dev.leakwatch.topology.eval.CorpusScenario;
import dev.leakwatch.topology.window.StackValues;
import dev.leakwatch.topology.window.WindowContribution;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One input within the decoder's limits must not make the topology write a record larger than the
 * room the processor gives its topics ({@link ProcessorConfig#maxRecordBytes}): the producer would
 * refuse it and the stream thread stop, at that input again after every restart.
 *
 * <p>The input is a deliberately hostile profile built with the project's encoder: a recorded Go heap
 * profile (the fixtures) plus one sample whose stack is the decoder's deepest (1,024 frames), each frame
 * a function of its own with a 24 KiB name. Its protobuf is ~25 MB and gzips to a fraction of that.
 * Before the frames shipped were budgeted ({@code ShippedFrames}), its first capture made a 25.2 MB
 * repartition record and a 25.2 MB dictionary entry, over the 17.9 MB room of the default limits.
 */
class RecordRoomTest {

  private static final String SERVICE = "session-store";
  private static final long T0 = 1_795_000_000_000L;
  private static final String HOSTILE = "hostile.frame";

  @TempDir Path temp;
  private final TopologyConfig config = TopologyConfig.defaults();
  private final long room = ProcessorConfig.maxRecordBytes(config);

  @Test
  void shouldKeepTheRepartitionRecordAndDictionaryEntriesWithinTheRoomWhenAStackCarriesHugeFrames() {
    try (TopologyHarness h = TopologyHarness.create(config, temp)) {
      byte[] report = firstCapture(h, 1, 24 * 1024);
      WindowContribution c = ServiceReportSerde.decode(report).window();
      List<Integer> entries = dictionaryEntrySizes(h);
      assertAll(
          () -> assertTrue(report.length <= room, "repartition record of " + report.length + " bytes, room " + room),
          () -> assertTrue(entries.stream().allMatch(n -> n <= room), "dictionary entries " + entries.stream()
              .mapToInt(Integer::intValue).max().orElse(0) + " bytes at most, room " + room),
          // the recorded stacks still ship their frames; the hostile one keeps its values, not its frames
          () -> assertEquals(c.stacks().size() - 1, entries.size(), "every stack but one in the dictionary"),
          () -> assertFalse(c.newStacks().values().stream().anyMatch(RecordRoomTest::hostile), "hostile frames shipped"),
          () -> assertEquals(1, unshipped(c).size(), "one stack counted without its frames"));
    }
  }

  /**
   * 24 stacks of 1,024 frames with names of 800 bytes: each within the dictionary's bound, together
   * a 20 MB repartition record before the frames shipped were budgeted.
   */
  @Test
  void shouldShipTheHeaviestStacksFramesWithinTheRoomWhenManyStacksTogetherOutgrowIt() {
    try (TopologyHarness h = TopologyHarness.create(config, temp)) {
      byte[] report = firstCapture(h, 24, 800);
      WindowContribution c = ServiceReportSerde.decode(report).window();
      List<StackValues> unshipped = unshipped(c);
      long lightestShipped = c.stacks().stream().filter(v -> c.newStacks().containsKey(v.stackId()))
          .mapToLong(StackValues::inuseBytes).min().orElse(-1); // a first capture's weight: in-use bytes
      long shippedHostile = c.newStacks().values().stream().filter(RecordRoomTest::hostile).count();
      assertAll(
          () -> assertTrue(report.length <= room, "repartition record of " + report.length + " bytes, room " + room),
          () -> assertTrue(shippedHostile > 0 && !unshipped.isEmpty(),
              shippedHostile + " hostile stacks shipped, " + unshipped.size() + " stacks not"),
          () -> assertTrue(unshipped.stream().allMatch(v -> v.inuseBytes() <= lightestShipped),
              "the lightest go without their frames"));
    }
  }

  /** Pipes the instance's first heap capture with {@code count} deep hostile stacks; its service report. */
  private byte[] firstCapture(TopologyHarness h, int count, int nameBytes) {
    CorpusScenario.Capture heap = Fixtures.captures(Fixtures.scenario("G"), c -> c.type().equals("heap")).get(0);
    ProfileEnvelope e = Fixtures.envelope(SERVICE, heap, T0);
    e.setProfile(ByteBuffer.wrap(ProfileWriter.write(withDeepStacks(Fixtures.bytes(heap.file()), count, nameBytes))));
    assertTrue(e.getProfile().remaining() < config.maxEnvelopeBytes(), "within the envelope limit");
    TestOutputTopic<byte[], byte[]> reports = h.driver.createOutputTopic(
        "leakwatch-test-" + TopologyNames.REPORTS_BY_SERVICE + "-repartition",
        new ByteArrayDeserializer(), new ByteArrayDeserializer());
    h.pipe(e);
    assertTrue(h.deadLetters().isEmpty(), "the profile is within every decode limit");
    List<byte[]> written = reports.readValuesToList();
    assertEquals(1, written.size(), "one service report");
    return written.get(0);
  }

  /** The stacks a first capture counts without shipping their frames. */
  private static List<StackValues> unshipped(WindowContribution c) {
    return c.stacks().stream()
        .filter(v -> v.stackId() != StackIds.OTHER && !c.newStacks().containsKey(v.stackId())).toList();
  }

  private static boolean hostile(List<SiteFrame> frames) {
    return frames.stream().anyMatch(f -> f.function().startsWith(HOSTILE));
  }

  private static List<Integer> dictionaryEntrySizes(TopologyHarness h) {
    KeyValueStore<String, byte[]> store = h.driver.getKeyValueStore(TopologyNames.STACK_DICTIONARY_STORE);
    List<Integer> sizes = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> it = store.all()) {
      it.forEachRemaining(kv -> {
        if (kv.value != null) {
          sizes.add(kv.value.length);
        }
      });
    }
    return sizes;
  }

  /**
   * The recorded profile plus {@code count} samples 1,024 frames deep, each frame a function of its own
   * whose name has {@code nameBytes} bytes; the k-th such sample weighs k + 1 times the first recorded one.
   */
  private static Profile withDeepStacks(byte[] recordedBytes, int count, int nameBytes) {
    Profile recorded = ProfileDecoder.decode(recordedBytes, DecodeLimits.defaults());
    long nextId = 1 + Math.max(
        recorded.functions().stream().mapToLong(Function::id).max().orElse(0),
        recorded.locations().stream().mapToLong(Location::id).max().orElse(0));
    List<Function> functions = new ArrayList<>(recorded.functions());
    List<Location> locations = new ArrayList<>(recorded.locations());
    List<Sample> samples = new ArrayList<>(recorded.samples());
    int depth = DecodeLimits.defaults().maxStackDepth();
    for (int k = 0; k < count; k++) {
      List<Location> stack = new ArrayList<>();
      for (int i = 0; i < depth; i++) {
        String name = HOSTILE + k + "." + i + ".";
        Function f = new Function(nextId, name + "x".repeat(nameBytes - name.length()), "", "hostile.go", 1);
        Location l = new Location(nextId++, null, 0, List.of(new Line(f, 10, 0)), false);
        functions.add(f);
        locations.add(l);
        stack.add(l);
      }
      long[] values = recorded.samples().get(0).values().clone();
      for (int v = 0; v < values.length; v++) {
        values[v] *= k + 1;
      }
      samples.add(new Sample(values, stack, Map.of(), Map.of(), Map.of()));
    }
    return recorded.toBuilder().functions(functions).locations(locations).samples(samples).build();
  }
}
