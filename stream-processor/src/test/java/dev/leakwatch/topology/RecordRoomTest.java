package dev.leakwatch.topology;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.detect.SiteFrame;
import dev.leakwatch.detect.growth.InstanceReport;
import dev.leakwatch.detect.growth.InstanceReportCodec;
import dev.leakwatch.detect.site.StackIds;
import dev.leakwatch.pprof.DecodeLimits;
import dev.leakwatch.pprof.Function;
import dev.leakwatch.pprof.Line;
import dev.leakwatch.pprof.Location;
import dev.leakwatch.pprof.Profile;
import dev.leakwatch.pprof.ProfileDecoder;
import dev.leakwatch.pprof.ProfileWriter;
import dev.leakwatch.pprof.Sample;
import dev.leakwatch.pprof.ValueType;
import dev.leakwatch.processor.ProcessorConfig;
import dev.leakwatch.schemas.avro.LeakSuspect;
import dev.leakwatch.schemas.avro.ProfileEnvelope;
import dev.leakwatch.schemas.avro.ProfileType;
import dev.leakwatch.topology.eval.CorpusScenario;
import dev.leakwatch.topology.window.ShippedFrames;
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
          () -> assertFalse(c.newStacks().values().stream().anyMatch(RecordRoomTest::hostile),
              "hostile frames shipped"),
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

  /**
   * The reader of the repartition topic accepts at most 400,000 distinct names in a report's shipped
   * frames: 240 stacks of 1,024 frames with distinct 3-byte names (491,520 names, a 4 MB record) made a
   * record it refused (a record that cannot be read stops the stream thread) before they were counted.
   */
  @Test
  void shouldWriteFramesItsReaderAcceptsWhenAStackShipsMoreNamesThanItReads() {
    try (TopologyHarness h = TopologyHarness.create(config, temp)) {
      CorpusScenario.Capture heap = Fixtures.captures(Fixtures.scenario("G"), c -> c.type().equals("heap")).get(0);
      ProfileEnvelope e = Fixtures.envelope(SERVICE, heap, T0);
      e.setProfile(ByteBuffer.wrap(ProfileWriter.write(withShortNames(Fixtures.bytes(heap.file()), 240))));
      WindowContribution c = ServiceReportSerde.decode(pipeOne(h, e)).window();
      long names = c.newStacks().values().stream().flatMap(List::stream)
          .flatMap(f -> java.util.stream.Stream.of(f.function(), f.file())).distinct().count();
      assertAll(
          () -> assertTrue(names <= ShippedFrames.MAX_STRINGS, names + " names shipped"),
          () -> assertFalse(unshipped(c).isEmpty(), "the lightest stacks go without their frames"));
    }
  }

  /**
   * A goroutine leak profile makes every site with leaked goroutines a finding at once, and a finding
   * carries its site's whole stack: the hostile stack made a 25.2 MB repartition record at the first
   * capture before findings were bounded ({@code ReportFindings}).
   */
  @Test
  void shouldKeepTheRepartitionRecordWithinTheRoomWhenAGoroutineLeakSiteCarriesHugeFrames() {
    CorpusScenario.Capture goroutines = Fixtures.captures(Fixtures.scenario("H"),
        c -> c.type().equals("goroutine") && c.instance().equals("replica-0")).get(20);
    ValueType leak = new ValueType("goroutineleak", "count");
    Profile hostile = withDeepStacks(Fixtures.bytes(goroutines.file()), 1, 24 * 1024);
    ProfileEnvelope e = Fixtures.envelope(SERVICE, goroutines, T0);
    e.setProfileType(ProfileType.GOROUTINELEAK);
    e.setProfile(ByteBuffer.wrap(ProfileWriter.write(hostile.toBuilder().sampleTypes(List.of(leak)).periodType(leak)
        .build())));
    try (TopologyHarness h = TopologyHarness.create(config, temp)) {
      byte[] report = pipeOne(h, e);
      InstanceReport r = ServiceReportSerde.decode(report).report();
      List<LeakSuspect> suspects = h.suspects();
      assertAll(
          () -> assertTrue(report.length <= room, "repartition record of " + report.length + " bytes, room " + room),
          () -> assertFalse(r.findings().isEmpty(), "the recorded sites are still found"),
          () -> assertFalse(r.findings().stream().anyMatch(f -> hostile(f.site().stack())), "hostile site reported"),
          () -> assertFalse(suspects.isEmpty(), "the recorded sites' suspects open"),
          () -> assertTrue(suspects.stream().allMatch(s -> s.getStack().stream()
              .noneMatch(f -> f.getFunction().startsWith(HOSTILE))), "no suspect for the hostile site"));
    }
  }

  /**
   * The reader of the repartition topic accepts at most 4,096 findings per report, and a goroutine leak
   * profile makes one of every site with leaked goroutines: 5,000 sites made a report it refused (a
   * record that cannot be read stops the stream thread) before findings were bounded.
   */
  @Test
  void shouldWriteAReportItsReaderAcceptsWhenAGoroutineLeakProfileHasMoreSitesThanItReads() {
    CorpusScenario.Capture goroutines = Fixtures.captures(Fixtures.scenario("H"),
        c -> c.type().equals("goroutine") && c.instance().equals("replica-0")).get(20);
    ValueType leak = new ValueType("goroutineleak", "count");
    Profile wide = withStacks(Fixtures.bytes(goroutines.file()), 5_000, 1, 0);
    ProfileEnvelope e = Fixtures.envelope(SERVICE, goroutines, T0);
    e.setProfileType(ProfileType.GOROUTINELEAK);
    e.setProfile(ByteBuffer.wrap(ProfileWriter.write(wide.toBuilder().sampleTypes(List.of(leak)).periodType(leak)
        .build())));
    try (TopologyHarness h = TopologyHarness.create(config, temp)) {
      InstanceReport r = ServiceReportSerde.decode(pipeOne(h, e)).report();
      assertEquals(InstanceReportCodec.MAX_FINDINGS, r.findings().size(),
          "the first-ranked findings the reader accepts");
      assertFalse(h.suspects().isEmpty(), "their suspects open");
    }
  }

  /** Pipes the instance's first heap capture with {@code count} deep hostile stacks; its service report. */
  private byte[] firstCapture(TopologyHarness h, int count, int nameBytes) {
    CorpusScenario.Capture heap = Fixtures.captures(Fixtures.scenario("G"), c -> c.type().equals("heap")).get(0);
    ProfileEnvelope e = Fixtures.envelope(SERVICE, heap, T0);
    e.setProfile(ByteBuffer.wrap(ProfileWriter.write(withDeepStacks(Fixtures.bytes(heap.file()), count, nameBytes))));
    return pipeOne(h, e);
  }

  /** Pipes {@code e}, which must pass the decoder; the one service report it makes, serialized. */
  private byte[] pipeOne(TopologyHarness h, ProfileEnvelope e) {
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
   * The recorded profile plus {@code count} samples 1,024 frames deep whose every function and file
   * name is its own three printable characters.
   */
  private static Profile withShortNames(byte[] recordedBytes, int count) {
    Profile p = withDeepStacks(recordedBytes, count, 0);
    long first = p.functions().stream().filter(f -> f.name().startsWith(HOSTILE)).mapToLong(Function::id).min()
        .orElseThrow();
    List<Function> renamed = p.functions().stream().map(f -> f.id() < first ? f
        : new Function(f.id(), shortName(2 * (f.id() - first)), "", shortName(2 * (f.id() - first) + 1), 1)).toList();
    return p.toBuilder().functions(renamed).build();
  }

  private static String shortName(long i) {
    char[] c = new char[3];
    for (int k = 0; k < 3; k++, i /= 94) {
      c[k] = (char) ('!' + i % 94);
    }
    return new String(c);
  }

  /** The recorded profile plus {@code count} samples 1,024 frames deep (the decoder's deepest): see below. */
  private static Profile withDeepStacks(byte[] recordedBytes, int count, int nameBytes) {
    return withStacks(recordedBytes, count, DecodeLimits.defaults().maxStackDepth(), nameBytes);
  }

  /**
   * The recorded profile plus {@code count} samples {@code depth} frames deep, each frame a function of its
   * own whose name has (at least) {@code nameBytes} bytes; the k-th such sample weighs k + 1 times the
   * first recorded one.
   */
  private static Profile withStacks(byte[] recordedBytes, int count, int depth, int nameBytes) {
    return withStacks(recordedBytes, HOSTILE, count, depth, nameBytes);
  }

  /** As above, every function name starting with {@code prefix} (another prefix, other sites). */
  static Profile withStacks(byte[] recordedBytes, String prefix, int count, int depth, int nameBytes) {
    return withStacks(recordedBytes, prefix, count, depth, nameBytes, "hostile.go");
  }

  /**
   * As above, every frame's file named {@code file}: the same sites (a site is known by its functions)
   * as reported by another build, whose paths differ.
   */
  static Profile withStacks(byte[] recordedBytes, String prefix, int count, int depth, int nameBytes, String file) {
    Profile recorded = ProfileDecoder.decode(recordedBytes, DecodeLimits.defaults());
    long nextId = 1 + Math.max(
        recorded.functions().stream().mapToLong(Function::id).max().orElse(0),
        recorded.locations().stream().mapToLong(Location::id).max().orElse(0));
    List<Function> functions = new ArrayList<>(recorded.functions());
    List<Location> locations = new ArrayList<>(recorded.locations());
    List<Sample> samples = new ArrayList<>(recorded.samples());
    for (int k = 0; k < count; k++) {
      List<Location> stack = new ArrayList<>();
      for (int i = 0; i < depth; i++) {
        String name = prefix + k + "." + i + ".";
        String padded = name + "x".repeat(Math.max(0, nameBytes - name.length()));
        Function f = new Function(nextId, padded, "", file, 1);
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
