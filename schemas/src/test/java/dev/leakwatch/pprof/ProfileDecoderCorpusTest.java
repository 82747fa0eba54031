package dev.leakwatch.pprof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leakwatch.pprof.testing.SharedCorpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Decodes every heap and goroutine capture of the recorded corpora (the project's {@code
 * testdata/corpus} and, when present, the developer corpus) and compares totals and per-site sums
 * with the numbers in their manifests, which the recorders' own Go decoder produced (and, for the
 * developer corpus, Go's {@code profile.Parse} confirmed).
 */
class ProfileDecoderCorpusTest {

  static Stream<Path> scenarios() {
    Stream<Path> project = Stream.of(System.getProperty("leakwatch.testdata", ""))
        .map(p -> Path.of(p, "corpus"));
    Stream<Path> shared = Stream.of(System.getProperty("leakwatch.shared.corpus", ""))
        .map(Path::of);
    List<Path> dirs = Stream.concat(project, shared)
        .filter(Files::isDirectory)
        .flatMap(ProfileDecoderCorpusTest::list)
        .filter(d -> Files.exists(d.resolve("manifest.json")))
        .sorted()
        .toList();
    assumeTrue(!dirs.isEmpty(), "no recorded corpus present");
    return dirs.stream();
  }

  private static Stream<Path> list(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList().stream();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void shouldMatchManifestTotalsForEveryCapture(Path dir) throws Exception {
    JsonNode manifest = new ObjectMapper().readTree(dir.resolve("manifest.json").toFile());
    String scenarioDir = dir.getFileName().toString();
    Set<String> sites = siteFunctions(manifest);
    int checked = 0;
    for (var instance : iterable(manifest.get("verification").get("per_capture").fields())) {
      for (JsonNode capture : instance.getValue()) {
        int seq = capture.get("seq").asInt();
        Path heapFile = dir.resolve(instance.getKey()).resolve(String.format("%04d-heap.pb.gz", seq));
        Path goroutineFile =
            dir.resolve(instance.getKey()).resolve(String.format("%04d-goroutine.pb.gz", seq));
        if (!Files.exists(heapFile) || !Files.exists(goroutineFile)) {
          continue;
        }
        String what = scenarioDir + "/" + instance.getKey() + " seq " + seq;
        Profile heap = ProfileDecoder.decode(SharedCorpus.read(heapFile));
        assertEquals(capture.get("inuse_space").asLong(), total(heap, "inuse_space"), what);
        assertEquals(capture.get("inuse_objects").asLong(), total(heap, "inuse_objects"), what);
        assertEquals(capture.get("alloc_space").asLong(), total(heap, "alloc_space"), what);
        assertEquals(capture.get("heap_period").asLong(), heap.period(), what);
        assertEquals(capture.get("site_inuse_space").asLong(), siteSum(heap, "inuse_space", sites),
            what);
        Profile goroutines = ProfileDecoder.decode(SharedCorpus.read(goroutineFile));
        assertEquals(capture.get("goroutines").asLong(), total(goroutines, "goroutine"), what);
        assertEquals(capture.get("site_goroutines").asLong(),
            siteSum(goroutines, "goroutine", sites), what);
        checked++;
      }
    }
    assertTrue(checked > 20, "expected the whole series of captures, checked " + checked);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void shouldExposeGoHeapProfileMetadata(Path dir) throws Exception {
    JsonNode manifest = new ObjectMapper().readTree(dir.resolve("manifest.json").toFile());
    for (JsonNode instance : manifest.get("instances")) {
      JsonNode capture = instance.get("captures").get(5);
      if (capture.get("files").get("heap") == null) {
        continue;
      }
      Path file = dir.resolve(capture.get("files").get("heap").asText());
      checkHeapMetadata(ProfileDecoder.decode(Files.readAllBytes(file)), instance, capture);
    }
  }

  private static void checkHeapMetadata(Profile p, JsonNode instance, JsonNode capture) {
    assertEquals(List.of(new ValueType("alloc_objects", "count"),
        new ValueType("alloc_space", "bytes"), new ValueType("inuse_objects", "count"),
        new ValueType("inuse_space", "bytes")), p.sampleTypes());
    assertEquals(p.sampleIndex("inuse_space"), p.defaultSampleIndex());
    assertEquals(-1, p.sampleIndex("goroutine"));
    assertEquals(new ValueType("space", "bytes"), p.periodType());
    assertEquals(instance.get("mem_profile_rate").asLong(), p.period());
    // The runtime stamps the profile when it writes it, just after curl's request started.
    long captureMs = capture.get("unix_ms").asLong();
    long profileMs = p.timeNanos() / 1_000_000;
    assertTrue(Math.abs(profileMs - captureMs) < 2_000, profileMs + " vs " + captureMs);
    assertFalse(p.samples().isEmpty());
    // Go labels heap samples with their object size ("bytes"); the sampled counts are scaled
    // estimates of the same objects, so alloc_space is alloc_objects times that size, give or take
    // one object.
    int objects = p.sampleIndex("alloc_objects");
    int space = p.sampleIndex("alloc_space");
    for (Sample s : p.samples()) {
      if (s.value(objects) > 0) {
        long size = s.numLabels().get("bytes").get(0);
        assertTrue(Math.abs(s.value(space) - s.value(objects) * size) <= size, s.toString());
      }
    }
  }

  private static long total(Profile p, String type) {
    return p.totalValue(p.sampleIndex(type));
  }

  /** Sum over samples whose stack contains any of {@code functions}, as the manifest defines it. */
  private static long siteSum(Profile p, String type, Set<String> functions) {
    int i = p.sampleIndex(type);
    return p.samples().stream()
        .filter(s -> s.stack().stream().anyMatch(f -> functions.contains(f.function())))
        .mapToLong(s -> s.value(i))
        .sum();
  }

  private static Set<String> siteFunctions(JsonNode manifest) {
    JsonNode sites = manifest.get("label").asText().equals("leak")
        ? manifest.get("leak_site_functions") : manifest.get("watch_functions");
    return Set.copyOf(StreamSupport.stream(sites.spliterator(), false).map(JsonNode::asText).toList());
  }

  private static <T> Iterable<T> iterable(java.util.Iterator<T> it) {
    return () -> it;
  }
}
