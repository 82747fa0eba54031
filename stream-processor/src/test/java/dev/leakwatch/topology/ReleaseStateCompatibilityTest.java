package dev.leakwatch.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leakwatch.detect.SiteFrame;
import dev.leakwatch.detect.lifecycle.InstanceInfo;
import dev.leakwatch.detect.lifecycle.ServiceSuspects;
import dev.leakwatch.detect.lifecycle.SuspectState;
import dev.leakwatch.detect.series.InstanceLabels;
import dev.leakwatch.detect.series.InstanceSeries;
import dev.leakwatch.detect.series.InstanceSeriesCodec;
import dev.leakwatch.detect.series.RestartSignal;
import dev.leakwatch.detect.series.TrackedSite;
import dev.leakwatch.topology.window.InstanceSnapshot;
import dev.leakwatch.topology.window.ServiceWindow;
import dev.leakwatch.topology.window.StackDictionary;
import dev.leakwatch.topology.window.StackLastSeen;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * State written by an earlier release is read by this one (docs/OPERATIONS.md "Upgrades"): the store
 * values under {@code testdata/state/<release>/} were written by that release's own topology from
 * recorded Go profiles, each with what that release's codec read from them (see the README there).
 * A format change that forgets a version bump, or a decoder that drops an old version, fails here.
 */
class ReleaseStateCompatibilityTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The directory of one release's golden state; skips when testdata is not there. */
  private static Path release(String commit) {
    String root = System.getProperty("leakwatch.testdata");
    assumeTrue(root != null, "system property leakwatch.testdata not set");
    Path dir = Path.of(root, "state", commit);
    assumeTrue(Files.isDirectory(dir), "no golden state at " + dir);
    return dir;
  }

  private static List<String> names(Path dir, String prefix) throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix) && n.endsWith(".bin"))
          .sorted().forEach(n -> out.add(n.substring(0, n.length() - ".bin".length())));
    }
    assertFalse(out.isEmpty(), "no " + prefix + "*.bin in " + dir);
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"4a25fec", "8f3863d", "deaf82e"})
  void shouldReadInstanceSeriesOfAnEarlierReleaseAsThatReleaseReadThem(String commit) throws IOException {
    Path dir = release(commit);
    for (String name : names(dir, "instance-series-")) {
      byte[] bytes = Files.readAllBytes(dir.resolve(name + ".bin"));
      JsonNode expected = JSON.readTree(dir.resolve(name + ".json").toFile());

      InstanceSeries s = InstanceSeries.fromBytes(bytes);

      assertEquals(expected.get("kind").asText(), s.kind().name(), name);
      assertEquals(expected.get("generation").asInt(), s.generation(), name);
      assertEquals(expected.get("generationStartMs").asLong(), s.generationStartMs(), name);
      assertEquals(expected.get("samplingPeriod").asLong(), s.samplingPeriod(), name);
      assertEquals(expected.get("lastAllocObjects").asLong(), s.lastAllocObjects(), name);
      assertEquals(expected.get("lastAllocBytes").asLong(), s.lastAllocBytes(), name);
      assertArrayEquals(longs(expected.get("times")), times(s), name);
      assertArrayEquals(longs(expected.get("totals")), totals(s), name);
      JsonNode sites = expected.get("sites");
      assertEquals(sites.size(), s.sites().size(), name);
      for (int i = 0; i < sites.size(); i++) {
        JsonNode e = sites.get(i);
        TrackedSite t = s.sites().get(i);
        String what = name + " site " + i;
        assertEquals(e.get("id").asText(), Long.toHexString(t.id()), what);
        assertEquals(e.get("risen").asBoolean(), t.risen(), what);
        assertEquals(e.get("initialLevel").asLong(), t.initialLevel(), what);
        assertEquals(e.get("quietUntilMs").asLong(), t.quietUntilMs(), what);
        assertEquals(e.get("tracked").asInt(), t.tracked(), what);
        assertArrayEquals(longs(e.get("knownValues")), t.knownValues(), what);
        // the formats before version 3 kept no peaks: the highest value the window holds, nothing given back
        assertEquals(e.has("peak") ? e.get("peak").asLong() : LongStream.of(t.knownValues()).max().orElse(0),
            t.peak(), what);
        assertEquals(e.has("climbPast") ? e.get("climbPast").asLong() : TrackedSite.NO_RELEASE, t.climbPast(), what);
        if (e.has("knownLifetimes")) {
          assertArrayEquals(LongStream.of(longs(e.get("knownLifetimes"))).mapToInt(v -> (int) v).toArray(),
              t.knownLifetimes(), what);
        }
      }
      // the format before version 2 kept no restart: none seen, the heap series still reporting
      long lastRestart = expected.has("lastRestartMs") ? expected.get("lastRestartMs").asLong() : RestartSignal.NONE;
      assertEquals(lastRestart, s.lastRestartMs(), name);
      assertEquals(new RestartSignal(lastRestart, s.lastTimeMs()), InstanceSeriesCodec.restartSignal(bytes), name);
      // the formats before version 4 kept no labels: none, until the next capture brings its own
      InstanceLabels labels = expected.has("labels")
          ? InstanceLabels.of(JSON.convertValue(expected.get("labels"), new TypeReference<Map<String, String>>() { }))
          : InstanceLabels.NONE;
      assertEquals(labels, s.labels(), name);
      assertEquals(new InstanceSeriesCodec.CatalogFacts(s.lastTimeMs(), labels),
          InstanceSeriesCodec.catalogFacts(bytes), name);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"4a25fec", "8f3863d", "deaf82e"})
  void shouldReadTheStackDictionaryOfAnEarlierReleaseAsThatReleaseReadIt(String commit) throws IOException {
    Path dir = release(commit);
    for (String name : names(dir, "stack-dictionary-")) {
      byte[] bytes = Files.readAllBytes(dir.resolve(name + ".bin"));
      JsonNode expected = JSON.readTree(dir.resolve(name + ".json").toFile()).get("frames");

      List<SiteFrame> frames = StackDictionary.decode(bytes);

      assertEquals(expected.size(), frames.size(), name);
      for (int i = 0; i < frames.size(); i++) {
        JsonNode e = expected.get(i);
        assertEquals(new SiteFrame(e.get("function").asText(), e.get("file").asText(), e.get("line").asLong()),
            frames.get(i), name + " frame " + i);
      }
      assertArrayEquals(bytes, StackDictionary.encode(frames), name);
    }
  }

  /**
   * Lifecycle state as the earlier releases wrote it (version 2) has no arrival time of the service's
   * latest report nor of each instance's: read, it judges expiry by the stored stream time as those
   * releases did (the service's arrival taken at its latest own capture, each instance's at its own
   * latest capture, until their next reports), and written again (as version 4) it reads back as the
   * same state.
   */
  @ParameterizedTest
  @ValueSource(strings = {"4a25fec", "8f3863d"})
  void shouldReadLifecycleStateOfAnEarlierReleaseJudgingItAsThatReleaseDid(String commit) throws IOException {
    Path dir = release(commit);
    for (String name : names(dir, "suspect-lifecycle-")) {
      byte[] bytes = Files.readAllBytes(dir.resolve(name + ".bin"));
      assertEquals(2, bytes[2], name + ": written as version 2");

      ServiceSuspects s = ServiceSuspects.fromBytes(bytes);

      assertEquals(s.latestCaptureMs(), s.arrivedAtMs(), name);
      assertEquals(s.streamTimeMs(), s.nowMs(), name + ": judged at the stored stream time, as before");
      for (var e : s.instances().entrySet()) {
        assertEquals(s.nowMs(), e.getValue().ownTimeMs(s.streamTimeMs(), Long.MAX_VALUE),
            name + ": " + e.getKey() + " judged at the stored stream time, as before");
      }
      assertFalse(s.suspects().isEmpty(), name + ": an open suspect survives");
      assertRewrittenAsVersionFour(name, s);
    }
  }

  /**
   * Lifecycle state as release deaf82e wrote it (version 3) keeps the service's arrival but no arrival
   * per instance: read, every instance is judged at the service's own time, as that release judged it
   * (its arrival taken at its last seen time plus the service's lead), and written again (as version 4)
   * it reads back as the same state. The entry read after a backlog holds a lead (its reports arrived
   * after another service's later captures), which a decoder that dropped the lead would misjudge.
   */
  @ParameterizedTest
  @ValueSource(strings = {"deaf82e"})
  void shouldReadLifecycleStateOfVersionThreeJudgingEveryInstanceAtTheServicesOwnTime(String commit)
      throws IOException {
    Path dir = release(commit);
    int withLead = 0;
    for (String name : names(dir, "suspect-lifecycle-")) {
      byte[] bytes = Files.readAllBytes(dir.resolve(name + ".bin"));
      JsonNode expected = JSON.readTree(dir.resolve(name + ".json").toFile());
      assertEquals(3, bytes[2], name + ": written as version 3");

      ServiceSuspects s = ServiceSuspects.fromBytes(bytes);

      assertEquals(List.of(expected.get("streamTimeMs").asLong(), expected.get("latestCaptureMs").asLong(),
          expected.get("arrivedAtMs").asLong(), expected.get("nowMs").asLong()),
          List.of(s.streamTimeMs(), s.latestCaptureMs(), s.arrivedAtMs(), s.nowMs()), name);
      withLead += s.arrivedAtMs() > s.latestCaptureMs() ? 1 : 0;
      JsonNode instances = expected.get("instances");
      assertEquals(instances.size(), s.instances().size(), name);
      for (var e : s.instances().entrySet()) {
        JsonNode i = instances.get(e.getKey());
        InstanceInfo info = e.getValue();
        String what = name + ": " + e.getKey();
        assertEquals(List.of(i.get("lastSeenMs").asLong(), i.get("heapInuseBytes").asLong()),
            List.of(info.lastSeenMs(), info.heapInuseBytes()), what);
        assertEquals(i.get("memoryLimitBytes").isNull() ? null : i.get("memoryLimitBytes").asLong(),
            info.memoryLimitBytes(), what);
        assertEquals(s.nowMs(), info.ownTimeMs(s.streamTimeMs(), Long.MAX_VALUE),
            what + " judged at the service's own time, as release " + commit + " judged it");
      }
      List<String> open = new ArrayList<>();
      expected.get("openSuspects").forEach(id -> open.add(id.asText()));
      assertEquals(open, s.suspects().values().stream().filter(SuspectState::open).map(SuspectState::id).toList(),
          name);
      assertRewrittenAsVersionFour(name, s);
    }
    assertTrue(withLead > 0, "no entry of " + commit + " holds a lead: the lead's read is not tested");
  }

  /** {@code s} written again is version 4 and reads back as the same state, each instance at the same time. */
  private static void assertRewrittenAsVersionFour(String name, ServiceSuspects s) {
    byte[] written = s.toBytes();
    assertEquals(4, written[2], name + ": written again as version 4");
    ServiceSuspects back = ServiceSuspects.fromBytes(written);
    assertEquals(s.instances(), back.instances(), name);
    assertEquals(List.of(s.streamTimeMs(), s.latestCaptureMs(), s.arrivedAtMs(), s.nowMs()),
        List.of(back.streamTimeMs(), back.latestCaptureMs(), back.arrivedAtMs(), back.nowMs()), name);
    assertArrayEquals(written, back.toBytes(), name + ": the suspects as read, unchanged");
  }

  /**
   * Formats this release did not change (store values, and the repartition topic's records): decoded
   * and written again, the bytes come back unchanged.
   */
  static Stream<Arguments> unchangedFormats() {
    return Stream.concat(Stream.of("4a25fec", "8f3863d", "deaf82e").flatMap(release -> Stream.of(
        args(release, "instance-snapshot-", b -> InstanceSnapshot.fromBytes(b).toBytes()),
        args(release, "service-windows-", b -> ServiceWindow.fromBytes(b).toBytes()),
        args(release, "stack-last-seen-", b -> StackLastSeen.fromBytes(b).toBytes()),
        // records on the repartition topic when an old release stops are read by the new one
        args(release, "repartition-service-report-", b -> ServiceReportSerde.encode(ServiceReportSerde.decode(b))))),
        // the instance series format this release writes (version 4) since deaf82e
        Stream.of(args("deaf82e", "instance-series-", b -> InstanceSeries.fromBytes(b).toBytes())));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("unchangedFormats")
  void shouldReadAndRewriteUnchangedFormatsOfAnEarlierReleaseByteForByte(String commit, String prefix,
      Function<byte[], byte[]> roundTrip) throws IOException {
    Path dir = release(commit);
    for (String name : names(dir, prefix)) {
      byte[] bytes = Files.readAllBytes(dir.resolve(name + ".bin"));
      assertTrue(JSON.readTree(dir.resolve(name + ".json").toFile()).get("reencodedEqual").asBoolean(), name);

      assertArrayEquals(bytes, roundTrip.apply(bytes), name);
    }
  }

  private static Arguments args(String commit, String prefix,
      Function<byte[], byte[]> roundTrip) {
    return Arguments.of(commit, prefix, roundTrip);
  }

  private static long[] longs(JsonNode array) {
    long[] out = new long[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asLong();
    }
    return out;
  }

  private static long[] times(InstanceSeries s) {
    long[] out = new long[s.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = s.timeMs(i);
    }
    return out;
  }

  private static long[] totals(InstanceSeries s) {
    long[] out = new long[s.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = s.total(i);
    }
    return out;
  }
}
