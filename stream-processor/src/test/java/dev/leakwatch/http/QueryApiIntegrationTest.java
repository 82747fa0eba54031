package dev.leakwatch.http;

import static dev.leakwatch.http.ApiClient.get;
import static dev.leakwatch.http.ApiClient.json;
import static dev.leakwatch.http.CodecExpectations.stack;
import static dev.leakwatch.http.CodecExpectations.sumsByStack;
import static dev.leakwatch.http.CodecExpectations.topRows;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leakwatch.pprof.Profile;
import dev.leakwatch.pprof.ProfileDiff;
import dev.leakwatch.pprof.ProfileMerge;
import dev.leakwatch.processor.ProcessorRuntime;
import dev.leakwatch.query.ApiPaths;
import dev.leakwatch.topology.Fixtures;
import dev.leakwatch.topology.TopologyNames;
import dev.leakwatch.topology.eval.CorpusScenario;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two processor instances on a real broker, fed the recorded heap leak (G, with a process restart)
 * and goroutine leak (H). Every endpoint answers the same from either instance; questions about a
 * key go to its owner; profiles, tops and diffs agree with what the pprof codec computes from the
 * same recorded profiles.
 */
class QueryApiIntegrationTest {

  private static final String TOKEN = "s3cret-token";

  private static TwoProcessors run;
  private static CorpusScenario g;
  private static CorpusScenario h;
  /** Start of the window holding G's first capture; G spans about 35 s from there. */
  private static long t0;

  @BeforeAll
  static void feedBothLeaks() throws Exception {
    g = Fixtures.scenario("G");
    h = Fixtures.scenario("H");
    run = TwoProcessors.startSharingTheWork(TOKEN);
    run.publish(List.of(g, h));
    long first = g.captures().stream().mapToLong(CorpusScenario.Capture::captureMs).min().orElseThrow();
    t0 = Math.floorDiv(first, TwoProcessors.WINDOW_MS) * TwoProcessors.WINDOW_MS;
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() ->
        captures(g.service(), "inuse_space") == RecordedCorpus.of(g, "heap").size()
            && captures(h.service(), "goroutines") == RecordedCorpus.of(h, "goroutine").size()
            && openSuspects().size() >= 2);
    // the counts and open suspects above can be there while the lifecycle has yet to take both services'
    // last reports (goroutine captures after the last heap one, through the repartition topic): the
    // tests compare answers made by every stage, so wait until each holds every capture
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
        .until(() -> run.holdsEveryCapture(g) && run.holdsEveryCapture(h));
  }

  @AfterAll
  static void stop() throws Exception {
    if (run != null) {
      run.close();
    }
  }

  @Test
  void shouldAnswerEveryEndpointIdenticallyFromEitherInstance() {
    String gs = "/api/v1/services/" + g.service();
    String range = "from=" + (t0 + 10_000) + "&to=" + (t0 + 30_000);
    JsonNode suspect = suspectOf(g.service());
    String id = suspect.path("suspectId").asText();
    String site = suspect.path("siteId").asText();
    List<String> paths = List.of("/api/v1/services", gs, gs + "/instances",
        gs + "/top?metric=alloc_space&limit=5&" + range,
        "/api/v1/services/" + h.service() + "/top?metric=goroutines",
        gs + "/diff?metric=inuse_space&baseFrom=" + (t0 + 5_000) + "&baseTo=" + (t0 + 15_000) + "&" + range,
        gs + "/profile?type=heap&" + range,
        gs + "/profile/diff?type=heap&baseFrom=" + (t0 + 5_000) + "&baseTo=" + (t0 + 15_000) + "&" + range,
        "/api/v1/services/" + h.service() + "/profile?type=goroutine",
        "/api/v1/suspects", "/api/v1/suspects?status=all", "/api/v1/suspects?status=all&limit=1",
        "/api/v1/suspects/" + id,
        gs + "/suspects", gs + "/suspects/history", gs + "/suspects/" + id, gs + "/suspects/" + id + "/series",
        gs + "/sites/" + site + "/series?kind=heap", gs + "/sites/" + site + "/series?kind=heap&instance=replica-1");
    for (String path : paths) {
      HttpResponse<byte[]> fromA = get(run.a.httpPort(), path, TOKEN);
      HttpResponse<byte[]> fromB = get(run.b.httpPort(), path, TOKEN);
      assertEquals(200, fromA.statusCode(), path + ": " + ApiClient.text(fromA));
      assertEquals(200, fromB.statusCode(), path + ": " + ApiClient.text(fromB));
      assertEquals(fromA.headers().firstValue("Content-Type"), fromB.headers().firstValue("Content-Type"), path);
      assertArrayEquals(fromA.body(), fromB.body(), path);
    }
  }

  @Test
  void shouldRouteAServiceQueryToTheInstanceThatOwnsItsPartition() {
    String owner = owner(TopologyNames.SERVICE_WINDOWS_STORE, g.service());
    ProcessorRuntime other = owner.equals(run.a.advertisedServer()) ? run.b : run.a;
    HttpResponse<byte[]> r = get(other.httpPort(), "/api/v1/services/" + g.service() + "/top", TOKEN);
    assertEquals(200, r.statusCode(), ApiClient.text(r));
    assertNotEquals(other.advertisedServer(), owner);
    assertEquals(owner, r.headers().firstValue("Leakwatch-Served-By").orElseThrow(), "answered by the owner");
  }

  @Test
  void shouldRouteAnInstanceSeriesQueryToTheOwnerOfThatInstancesPartition() {
    String site = suspectOf(g.service()).path("siteId").asText();
    for (String instance : List.of("replica-0", "replica-1")) {
      String owner = owner(TopologyNames.INSTANCE_SERIES_STORE, g.service() + "/" + instance);
      ProcessorRuntime other = owner.equals(run.a.advertisedServer()) ? run.b : run.a;
      HttpResponse<byte[]> r = get(other.httpPort(), "/api/v1/services/" + g.service() + "/sites/" + site
          + "/series?kind=heap&instance=" + instance, TOKEN);
      assertEquals(200, r.statusCode(), ApiClient.text(r));
      assertEquals(owner, r.headers().firstValue("Leakwatch-Served-By").orElseThrow());
      JsonNode series = json(r).path("instances").get(0);
      assertEquals(instance, series.path("instance").asText());
      assertTrue(series.path("tracked").asBoolean(), "the leaking site is tracked on " + instance);
    }
  }

  @Test
  void shouldForwardAQueryWhoseRawQueryStringHoldsCharactersJavaUrisRefuseWhenAnotherInstanceOwnsTheKey()
      throws Exception {
    String site = suspectOf(g.service()).path("siteId").asText();
    // a valid instance name with '|', which clients such as curl send unescaped and Jetty accepts
    String instance = java.util.stream.IntStream.range(0, 100).mapToObj(i -> "pod|" + i)
        .filter(i -> !owner(TopologyNames.INSTANCE_SERIES_STORE, g.service() + "/" + i)
            .equals(run.a.advertisedServer()))
        .findFirst().orElseThrow();
    String answer = rawGet(run.a.httpPort(), "/api/v1/services/" + g.service() + "/sites/" + site
        + "/series?kind=heap&instance=" + instance);
    assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
    assertTrue(answer.contains("Leakwatch-Served-By: " + run.b.advertisedServer()), "answered by the owner: " + answer);
    assertTrue(answer.contains("\"instance\":\"" + instance + "\",\"kind\":\"heap\""), answer);
  }

  /** A GET sent as written, byte for byte (HttpClient would refuse the characters such a test sends). */
  private static String rawGet(int port, String pathAndQuery) throws java.io.IOException {
    try (java.net.Socket s = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
      s.getOutputStream().write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
          + TOKEN + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  @Test
  void shouldAnswerASitesSeriesOnEveryInstanceAsEachInstancesOwnSeriesFromPartsPerProcessor() {
    String site = suspectOf(g.service()).path("siteId").asText();
    String path = "/api/v1/services/" + g.service() + "/sites/" + site + "/series?kind=heap";
    JsonNode all = json(get(run.a.httpPort(), path, TOKEN));
    List<JsonNode> each = new ArrayList<>();
    for (String instance : List.of("replica-0", "replica-1")) {
      each.add(json(get(run.b.httpPort(), path + "&instance=" + instance, TOKEN)).path("instances").get(0));
    }
    assertEquals(each, List.of(all.path("instances").get(0), all.path("instances").get(1)));

    // The parts the answer is made of: each processor's, for its partitions, holds the instances whose
    // keys are there, and only those.
    for (ProcessorRuntime p : List.of(run.a, run.b)) {
      List<Integer> partitions = p.streams().metadataForLocalThreads().stream()
          .flatMap(t -> t.activeTasks().stream()).flatMap(t -> t.topicPartitions().stream())
          .filter(tp -> tp.topic().equals(TopologyNames.PROFILES_TOPIC)).map(tp -> tp.partition()).sorted().toList();
      List<String> expected = new ArrayList<>();
      for (String instance : List.of("replica-0", "replica-1")) {
        if (owner(TopologyNames.INSTANCE_SERIES_STORE, g.service() + "/" + instance).equals(p.advertisedServer())) {
          expected.add(instance);
        }
      }
      String csv = String.join(",", partitions.stream().map(String::valueOf).toList());
      HttpResponse<byte[]> part = get(p.httpPort(), ApiPaths.PART_SERIES + "?partitions=" + csv + "&service="
          + g.service() + "&site=" + site + "&kind=heap", TOKEN);
      assertEquals(200, part.statusCode(), ApiClient.text(part));
      assertEquals(expected, json(part).path("instances").findValuesAsText("instance"), p.advertisedServer());
    }
  }

  @Test
  void shouldAnswerNoPointsForAnInstanceWhoseLatestCaptureIsBeforeTheGivenFrom() {
    String site = suspectOf(g.service()).path("siteId").asText();
    long latest = g.captures().stream().filter(c -> c.instance().equals("replica-1") && c.type().equals("heap"))
        .mapToLong(CorpusScenario.Capture::captureMs).max().orElseThrow();
    HttpResponse<byte[]> r = get(run.a.httpPort(), "/api/v1/services/" + g.service() + "/sites/" + site
        + "/series?kind=heap&instance=replica-1&from=" + (latest + 1), TOKEN);
    assertEquals(200, r.statusCode(), ApiClient.text(r));
    JsonNode series = json(r).path("instances").get(0);
    assertTrue(series.path("tracked").asBoolean(), series.toString());
    assertEquals(0, series.path("points").size(), "nothing after the latest capture: " + series);
  }

  @Test
  void shouldExportTheMergedHeapProfileAsTheCodecMergesTheRecordedProfiles() {
    long from = t0 + 10_000;
    long to = t0 + 30_000;
    Profile exported = profile("/profile?type=heap&from=" + from + "&to=" + to);
    List<Profile> inRange = heapIn(from, to);
    Profile merged = ProfileMerge.merge(inRange);
    String leak = g.leakSiteFunctions().get(0);
    assertTrue(topRows(merged, "inuse_space").containsKey(leak), "the leak holds memory in the range");
    assertEquals(topRows(merged, "inuse_space"), topRows(exported, "inuse_space"));
    assertEquals(topRows(merged, "inuse_objects"), topRows(exported, "inuse_objects"));
    assertEquals(merged.totalValue(merged.sampleIndex("inuse_space")),
        exported.totalValue(exported.sampleIndex("inuse_space")));
    Profile allocated = allocatedIn(from, to);
    assertTrue(topRows(allocated, "alloc_space").get(leak).get(0) > 0, "the leak allocated in the range");
    assertEquals(topRows(allocated, "alloc_space"), topRows(exported, "alloc_space"));
    assertEquals(topRows(allocated, "alloc_objects"), topRows(exported, "alloc_objects"));
  }

  @Test
  void shouldExportTheDiffProfileAsTheCodecDiffsTheMergedRanges() {
    Profile exported = profile("/profile/diff?type=heap&baseFrom=" + (t0 + 5_000) + "&baseTo=" + (t0 + 15_000)
        + "&from=" + (t0 + 20_000) + "&to=" + (t0 + 30_000));
    Profile expected = ProfileDiff.diff(ProfileMerge.merge(heapIn(t0 + 5_000, t0 + 15_000)),
        ProfileMerge.merge(heapIn(t0 + 20_000, t0 + 30_000)));
    assertTrue(topRows(expected, "inuse_space").get(g.leakSiteFunctions().get(0)).get(0) > 0, "the leak grew");
    assertEquals(topRows(expected, "inuse_space"), topRows(exported, "inuse_space"));
  }

  @Test
  void shouldSayWhichRangeOfADiffProfileHasNoCaptures() {
    String gs = "/api/v1/services/" + g.service();
    String empty = "baseFrom=" + (t0 - 3_600_000) + "&baseTo=" + (t0 - 3_000_000);
    HttpResponse<byte[]> noBase = get(run.a.httpPort(), gs + "/profile/diff?type=heap&" + empty + "&from="
        + (t0 + 20_000) + "&to=" + (t0 + 30_000), TOKEN);
    assertEquals(404, noBase.statusCode(), ApiClient.text(noBase));
    assertTrue(json(noBase).path("message").asText().contains("has no heap captures in the base range (baseFrom, "
        + "baseTo) ["), ApiClient.text(noBase));
    HttpResponse<byte[]> noTarget = get(run.a.httpPort(), gs + "/profile/diff?type=heap&baseFrom=" + (t0 + 5_000)
        + "&baseTo=" + (t0 + 15_000) + "&from=" + (t0 + 3_600_000) + "&to=" + (t0 + 3_700_000), TOKEN);
    assertEquals(404, noTarget.statusCode(), ApiClient.text(noTarget));
    assertTrue(json(noTarget).path("message").asText().contains("has no heap captures in the target range ["),
        ApiClient.text(noTarget));
  }

  @Test
  void shouldRankDiffRowsByTheGrowthPerCaptureOfTheRecordedStacks() {
    long bf = t0 + 5_000;
    long bt = t0 + 15_000;
    long tf = t0 + 20_000;
    long tt = t0 + 35_000;
    JsonNode diff = json(get(run.a.httpPort(), "/api/v1/services/" + g.service() + "/diff?metric=inuse_space&frames=1024"
        + "&limit=1000&baseFrom=" + bf + "&baseTo=" + bt + "&from=" + tf + "&to=" + tt, TOKEN));
    List<Profile> base = heapIn(bf, bt);
    List<Profile> target = heapIn(tf, tt);
    Map<List<CodecExpectations.Frame>, Long> b = sumsByStack(base, "inuse_space");
    Map<List<CodecExpectations.Frame>, Long> t = sumsByStack(target, "inuse_space");
    assertEquals(base.size(), diff.path("base").path("captures").asLong());
    assertEquals(target.size(), diff.path("target").path("captures").asLong());
    long grew = 0;
    for (List<CodecExpectations.Frame> s : union(b, t)) {
      double delta = (double) t.getOrDefault(s, 0L) / target.size() - (double) b.getOrDefault(s, 0L) / base.size();
      grew += delta > 0 ? 1 : 0;
    }
    JsonNode rows = diff.path("grewMost");
    assertEquals(grew, rows.size(), "every stack that grew, and only those");
    double previous = Double.MAX_VALUE;
    for (JsonNode row : rows) {
      List<CodecExpectations.Frame> s = stack(row);
      assertEquals((double) b.getOrDefault(s, 0L) / base.size(), row.path("base").asDouble(), 1e-6);
      assertEquals((double) t.getOrDefault(s, 0L) / target.size(), row.path("target").asDouble(), 1e-6);
      assertTrue(row.path("delta").asDouble() <= previous, "sorted by growth");
      previous = row.path("delta").asDouble();
    }
    String leak = g.leakSiteFunctions().get(0);
    assertTrue(rows.get(0).toString().contains(leak), "the leak grew most: " + rows.get(0));
  }

  @Test
  void shouldRankTopStacksBySumsOfTheRecordedProfiles() {
    long from = t0 + 10_000;
    long to = t0 + 30_000;
    JsonNode top = json(get(run.b.httpPort(), "/api/v1/services/" + g.service()
        + "/top?metric=inuse_space&limit=1000&frames=1024&from=" + from + "&to=" + to, TOKEN));
    Map<List<CodecExpectations.Frame>, Long> expected = sumsByStack(heapIn(from, to), "inuse_space");
    Map<List<CodecExpectations.Frame>, Long> answered = new HashMap<>();
    top.path("top").forEach(r -> answered.put(stack(r), r.path("sum").asLong()));
    assertTrue(expected.size() > 1, "several stacks hold memory");
    assertEquals(expected, answered);
    assertEquals(heapIn(from, to).size(), top.path("captures").asLong());
  }

  @Test
  void shouldExportAProfileThatGoToolPprofOpens(@TempDir Path dir) throws Exception {
    assumeTrue(goAvailable(), "go is not installed");
    Path file = dir.resolve("merged.pb.gz");
    HttpResponse<byte[]> r = get(run.a.httpPort(), "/api/v1/services/" + g.service() + "/profile?type=heap", TOKEN);
    assertEquals(200, r.statusCode());
    Files.write(file, r.body());
    Process p = new ProcessBuilder("go", "tool", "pprof", "-top", file.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("Type: inuse_space"), out);
    assertTrue(out.contains(g.leakSiteFunctions().get(0)), out);
  }

  @Test
  void shouldListTheOpenSuspectsOfBothLeaksWithTheirHistoryAndSeries() {
    JsonNode gs = suspectOf(g.service());
    JsonNode hs = suspectOf(h.service());
    assertEquals("HEAP", gs.path("kind").asText());
    assertEquals("GOROUTINE", hs.path("kind").asText());
    assertTrue(gs.toString().contains(g.leakSiteFunctions().get(0)), gs.toString());
    String id = gs.path("suspectId").asText();
    JsonNode detail = json(get(run.a.httpPort(), "/api/v1/suspects/" + id, TOKEN));
    assertEquals("OPEN", detail.path("events").get(0).path("status").asText());
    JsonNode history = json(get(run.b.httpPort(), "/api/v1/services/" + g.service() + "/suspects/history", TOKEN));
    assertTrue(history.path("events").findValuesAsText("suspectId").contains(id), history.toString());
    JsonNode series = json(get(run.b.httpPort(), "/api/v1/services/" + g.service() + "/suspects/" + id + "/series",
        TOKEN));
    List<String> instances = series.path("instances").findValuesAsText("instance");
    assertEquals(List.of("replica-0", "replica-1"), instances);
    for (JsonNode i : series.path("instances")) {
      JsonNode points = i.path("points");
      assertTrue(points.size() >= 2, i.toString());
      assertTrue(points.get(points.size() - 1).path("value").asLong() > points.get(0).path("value").asLong(),
          "the leak's site grows on " + i.path("instance").asText());
    }
  }

  @Test
  void shouldPageASuspectsSeriesByLiveInstanceName() {
    String id = suspectOf(g.service()).path("suspectId").asText();
    String path = "/api/v1/services/" + g.service() + "/suspects/" + id + "/series";
    JsonNode whole = json(get(run.a.httpPort(), path, TOKEN));
    JsonNode first = json(get(run.b.httpPort(), path + "?limit=1", TOKEN));
    assertEquals(List.of(2, 1, true, "replica-0"), List.of(first.path("instanceCount").asInt(),
        first.path("count").asInt(), first.path("truncated").asBoolean(), first.path("next").asText()), first.toString());
    JsonNode second = json(get(run.a.httpPort(), path + "?limit=1&after=replica-0", TOKEN));
    assertFalse(second.path("truncated").asBoolean(), second.toString());
    assertTrue(second.path("next").isNull(), second.toString());
    assertEquals(List.of(whole.path("instances").get(0), whole.path("instances").get(1)),
        List.of(first.path("instances").get(0), second.path("instances").get(0)));
  }

  @Test
  void shouldListEverySuspectOnceAcrossPagesInServiceAndIdOrderFromEitherInstance() {
    for (ProcessorRuntime asked : List.of(run.a, run.b)) {
      JsonNode whole = json(get(asked.httpPort(), "/api/v1/suspects?status=all", TOKEN));
      assertEquals(false, whole.path("truncated").asBoolean(), whole.toString());
      assertTrue(whole.path("next").isNull(), whole.toString());
      List<String> expected = new ArrayList<>();
      whole.path("suspects").forEach(s -> expected.add(s.toString()));
      assertTrue(expected.size() >= 2, "both leaks are suspects: " + whole);
      List<String> keys = new ArrayList<>();
      whole.path("suspects").forEach(s -> keys.add(s.path("service").asText() + "/" + s.path("suspectId").asText()));
      assertEquals(keys.stream().sorted().toList(), keys, "by service, then id");
      for (int limit : new int[] {1, 2}) {
        List<String> listed = new ArrayList<>();
        int pages = 0;
        String query = "?status=all&limit=" + limit;
        while (true) {
          JsonNode page = json(get(asked.httpPort(), "/api/v1/suspects" + query, TOKEN));
          pages++;
          assertTrue(page.path("count").asInt() <= limit, page.toString());
          page.path("suspects").forEach(s -> listed.add(s.toString()));
          if (!page.path("truncated").asBoolean()) {
            assertTrue(page.path("next").isNull(), page.toString());
            break;
          }
          assertEquals(keys.get(listed.size() - 1), page.path("next").asText(), "next is the page's last suspect");
          query = "?status=all&limit=" + limit + "&after=" + ApiPaths.query(page.path("next").asText());
        }
        assertEquals(expected, listed, "limit " + limit);
        assertEquals((expected.size() + limit - 1) / limit, pages, "full pages, then the rest");
      }
    }
  }

  @Test
  void shouldServeMetricsHealthAndReadinessWithoutAToken() {
    assertEquals(200, get(run.a.httpPort(), "/healthz", null).statusCode());
    assertEquals(200, get(run.b.httpPort(), "/readyz", null).statusCode());
    String metrics = ApiClient.text(get(run.a.httpPort(), "/metrics", null));
    String other = ApiClient.text(get(run.b.httpPort(), "/metrics", null));
    assertEquals(g.captures().size() + h.captures().size(),
        processed(metrics, "heap") + processed(metrics, "goroutine") + processed(metrics, "allocs")
            + processed(other, "heap") + processed(other, "goroutine") + processed(other, "allocs"));
    assertTrue(metrics.contains("leakwatch_suspects_open"), metrics);
    assertTrue(metrics.contains("leakwatch_profile_decode_seconds_count"), metrics);
    for (String store : TopologyNames.STORES) { // every store fills the state volume, not only the queried ones
      assertTrue(metrics.contains("leakwatch_store_sst_size_bytes{store=\"" + store + "\"}"), store);
      assertTrue(metrics.contains("leakwatch_store_estimated_keys{store=\"" + store + "\"}"), store);
    }
    assertTrue(metrics.contains("kafka_stream_"), "Kafka Streams' own metrics");
    // at 0 before any failure, so that increase() sees the first one (docs/OPERATIONS.md's alert)
    for (String stage : List.of(TopologyNames.DECODE, TopologyNames.SUSPECT_LIFECYCLE)) {
      assertEquals(0.0, gauge(metrics, "leakwatch_processing_failures_total{node=\"" + stage + "\"}"), stage);
    }
    for (String store : TopologyNames.STORES) {
      assertEquals(0.0, gauge(metrics, "leakwatch_store_restore_remaining_records{store=\"" + store + "\"}"), store);
    }
    assertEquals(2.0, gauge(metrics, "leakwatch_suspects_open") + gauge(other, "leakwatch_suspects_open"));
  }

  @Test
  void shouldRefuseTheApiWithoutTokenAs401AndWithAWrongOneAs403() {
    HttpResponse<byte[]> missing = get(run.a.httpPort(), "/api/v1/services", null);
    assertEquals(401, missing.statusCode());
    assertTrue(missing.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
    assertEquals(403, get(run.a.httpPort(), "/api/v1/services", "wrong").statusCode());
  }

  private static long captures(String service, String metric) {
    HttpResponse<byte[]> r = get(run.a.httpPort(), "/api/v1/services/" + service + "/top?metric=" + metric
        + "&from=" + (t0 - 60_000) + "&to=" + (t0 + 120_000), TOKEN);
    return r.statusCode() == 200 ? json(r).path("captures").asLong() : -1;
  }

  private static List<JsonNode> openSuspects() {
    HttpResponse<byte[]> r = get(run.b.httpPort(), "/api/v1/suspects", TOKEN);
    List<JsonNode> out = new ArrayList<>();
    if (r.statusCode() == 200) {
      json(r).path("suspects").forEach(out::add);
    }
    return out;
  }

  private static JsonNode suspectOf(String service) {
    return openSuspects().stream().filter(s -> s.path("service").asText().equals(service)).findFirst().orElseThrow();
  }

  private static String owner(String store, String key) {
    var md = run.a.streams().queryMetadataForKey(store, key, new StringSerializer());
    return md.activeHost().host() + ":" + md.activeHost().port();
  }

  private static Profile profile(String resource) {
    HttpResponse<byte[]> r = get(run.a.httpPort(), "/api/v1/services/" + g.service() + resource, TOKEN);
    assertEquals(200, r.statusCode(), ApiClient.text(r));
    assertEquals("application/octet-stream", r.headers().firstValue("Content-Type").orElse(""));
    return RecordedCorpus.decode(r.body());
  }

  /** G's heap profiles captured in [from, to) (window-aligned bounds). */
  private static List<Profile> heapIn(long from, long to) {
    return RecordedCorpus.of(g, "heap").stream().filter(c -> c.captureMs() >= from && c.captureMs() < to)
        .map(RecordedCorpus::decode).toList();
  }

  /**
   * What G allocated during [from, to) per the codec: per instance, each capture in the range minus
   * the previous capture of the same process (nothing for an instance's first capture, which is
   * only a baseline; the whole capture for the first one of a restarted process).
   */
  private static Profile allocatedIn(long from, long to) {
    Map<String, Map<Long, String>> processes = RecordedCorpus.processes("G");
    Map<String, CorpusScenario.Capture> previous = new HashMap<>();
    List<Profile> parts = new ArrayList<>();
    for (CorpusScenario.Capture c : RecordedCorpus.of(g, "heap")) {
      CorpusScenario.Capture before = previous.put(c.instance(), c);
      if (c.captureMs() < from || c.captureMs() >= to || before == null) {
        continue;
      }
      Map<Long, String> process = processes.get(c.instance());
      boolean restarted = !process.get(before.captureMs()).equals(process.get(c.captureMs()));
      parts.add(restarted ? RecordedCorpus.decode(c)
          : ProfileDiff.diff(RecordedCorpus.decode(before), RecordedCorpus.decode(c)));
    }
    return ProfileMerge.merge(parts);
  }

  private static <K> java.util.Set<K> union(Map<K, Long> a, Map<K, Long> b) {
    java.util.Set<K> out = new java.util.HashSet<>(a.keySet());
    out.addAll(b.keySet());
    return out;
  }

  private static long processed(String metrics, String type) {
    return (long) gauge(metrics, "leakwatch_profiles_processed_total{type=\"" + type + "\"}");
  }

  private static double gauge(String metrics, String name) {
    return metrics.lines().filter(l -> l.startsWith(name + " ")).mapToDouble(l -> Double.parseDouble(
        l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElseThrow(() -> new AssertionError("no " + name));
  }

  private static boolean goAvailable() {
    try {
      return new ProcessBuilder("go", "version").start().waitFor(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      return false;
    }
  }
}
