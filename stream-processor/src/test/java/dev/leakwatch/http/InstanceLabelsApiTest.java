package dev.leakwatch.http;

import static dev.leakwatch.http.ApiClient.get;
import static dev.leakwatch.http.ApiClient.json;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leakwatch.processor.ProcessorRuntime;
import dev.leakwatch.topology.Fixtures;
import dev.leakwatch.topology.eval.CorpusScenario;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each instance's labels in the query API, on two processors fed the recorded heap leak G with labels
 * in its envelopes, as agents' target configurations set them: replica-0 was killed mid-recording and
 * its new process runs a newer version ({@value #NEW}) than its first and than replica-1 ({@value
 * #OLD}). Every answer that lists the instances shows the labels of each one's latest capture, sorted
 * by name, and both processors answer the same bytes.
 */
class InstanceLabelsApiTest {

  private static final String TOKEN = "labels-token";
  private static final String OLD = "1.4.1";
  private static final String NEW = "1.4.2";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static TwoProcessors run;
  private static CorpusScenario g;
  private static String suspectId;

  @BeforeAll
  static void feedTheHeapLeakWithLabels() throws Exception {
    g = Fixtures.scenario("G");
    Map<String, Map<Long, String>> processes = RecordedCorpus.processes("G");
    // replica-0's second process is the one of its last capture
    List<CorpusScenario.Capture> replica0 = g.captures().stream().filter(c -> c.instance().equals("replica-0")).toList();
    String restarted = processes.get("replica-0").get(replica0.get(replica0.size() - 1).captureMs());
    run = TwoProcessors.startSharingTheWork(TOKEN);
    run.publish(List.of(g), c -> Map.of(
        "version", processes.get(c.instance()).get(c.captureMs()).equals(restarted) ? NEW : OLD,
        "region", c.instance().equals("replica-0") ? "eu-west-1" : "us-east-1"));
    long last = g.captures().stream().mapToLong(CorpusScenario.Capture::captureMs).max().orElseThrow();
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
      HttpResponse<byte[]> r = get(run.a.httpPort(), "/api/v1/services/" + g.service(), TOKEN);
      HttpResponse<byte[]> s = get(run.b.httpPort(), "/api/v1/services/" + g.service() + "/suspects", TOKEN);
      if (r.statusCode() != 200 || s.statusCode() != 200 || json(s).path("suspects").isEmpty()) {
        return false;
      }
      suspectId = json(s).path("suspects").get(0).path("suspectId").asText();
      return json(r).path("lastCaptureMs").asLong() == last;
    });
    // the service's latest capture is one instance's, and an open suspect comes mid-stream: the other
    // instance's series and the lifecycle (.../instances, fed through the repartition topic) can still be
    // behind, and the tests compare their answers byte for byte
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> run.holdsEveryCapture(g));
  }

  @AfterAll
  static void stop() throws Exception {
    if (run != null) {
      run.close();
    }
  }

  private static final JsonNode REPLICA_0 = labels("eu-west-1", NEW);
  private static final JsonNode REPLICA_1 = labels("us-east-1", OLD);

  private static JsonNode labels(String region, String version) {
    // in name order, as every answer writes them
    return JSON.createObjectNode().put("region", region).put("version", version);
  }

  @Test
  void shouldListEachInstancesLatestLabelsInTheServicesInstancePagesFromEitherProcessor() {
    byte[] fromA = answer(run.a, "/api/v1/services/" + g.service());
    byte[] fromB = answer(run.b, "/api/v1/services/" + g.service());
    assertArrayEquals(fromA, fromB, "both processors answer the same bytes");
    assertLabels(tree(fromA).path("instances"));

    JsonNode listing = tree(answer(run.b, "/api/v1/services")).path("services").get(0);
    assertEquals(g.service(), listing.path("service").asText());
    assertLabels(listing.path("instances"));
  }

  @Test
  void shouldAddLabelsToTheLiveInstancesWhereverTheirSeriesLie() {
    String path = "/api/v1/services/" + g.service() + "/instances";
    byte[] fromA = answer(run.a, path);
    assertArrayEquals(fromA, answer(run.b, path), "both processors answer the same bytes");
    assertLabels(tree(fromA).path("instances"));

    JsonNode second = tree(answer(run.a, path + "?limit=1&after=replica-0")).path("instances");
    assertEquals(1, second.size(), second.toString());
    assertEquals(REPLICA_1, second.get(0).path("labels"), "the second page's instance: " + second);
  }

  @Test
  void shouldShowTheLabelsOfEachInstanceInTheSuspectsSeries() {
    String path = "/api/v1/services/" + g.service() + "/suspects/" + suspectId + "/series";
    byte[] fromA = answer(run.a, path);
    assertArrayEquals(fromA, answer(run.b, path), "both processors answer the same bytes");
    assertLabels(tree(fromA).path("instances"));
  }

  @Test
  void shouldShowWhatSetsTheSuspectsInstancesApartOnEitherSuspectAnswerFromEitherProcessorButNotToAPeer() {
    for (String path : List.of("/api/v1/suspects/" + suspectId, "/api/v1/services/" + g.service() + "/suspects/" + suspectId)) {
      byte[] fromA = answer(run.a, path);
      assertArrayEquals(fromA, answer(run.b, path), "both processors answer the same bytes: " + path);
      JsonNode labels = tree(fromA).path("labels");
      // the heap leak grows on replica-1 alone, which runs the older version in the other region
      assertEquals(List.of("replica-1"), JSON.convertValue(tree(fromA).path("suspect").path("instances"), List.class));
      assertEquals(2, labels.path("liveInstances").asInt(), labels.toString());
      assertEquals(2, labels.path("countedInstances").asInt(), labels.toString());
      assertFalse(labels.path("truncated").asBoolean(), labels.toString());
      assertEquals(1, labels.path("instances").size(), labels.toString());
      assertEquals(REPLICA_1, labels.path("instances").get(0).path("labels"), labels.toString());
      assertEquals(JSON.createArrayNode()
          .add(JSON.createObjectNode().put("name", "region").put("value", "us-east-1").put("suspectInstances", 1)
              .put("serviceInstances", 1).put("serviceLiveInstances", 2))
          .add(JSON.createObjectNode().put("name", "version").put("value", OLD).put("suspectInstances", 1)
              .put("serviceInstances", 1).put("serviceLiveInstances", 2)), labels.path("distinguishing"), path);
    }
    // another instance asking (as an instance of a release before labels forwards a client's request) gets
    // the owner's suspect alone: the owner answers, the other refuses a forwarded request it does not own
    String path = "/api/v1/services/" + g.service() + "/suspects/" + suspectId;
    List<HttpResponse<byte[]>> asPeer = List.of(run.a, run.b).stream()
        .map(p -> get(p.httpPort(), path, TOKEN, HttpPeerClient.FORWARDED_HEADER, "127.0.0.1:1")).toList();
    HttpResponse<byte[]> owner = asPeer.stream().filter(r -> r.statusCode() == 200).findFirst().orElseThrow(
        () -> new AssertionError("no owner answered: " + asPeer.stream().map(ApiClient::text).toList()));
    assertTrue(json(owner).has("labels") && json(owner).path("labels").isNull(), ApiClient.text(owner));
    assertEquals(tree(answer(run.a, path)).path("suspect"), json(owner).path("suspect"));
  }

  private static void assertLabels(JsonNode instances) {
    assertEquals(2, instances.size(), instances.toString());
    assertEquals("replica-0", instances.get(0).path("instance").asText());
    assertEquals(REPLICA_0, instances.get(0).path("labels"), "the restarted process's version: " + instances);
    assertFalse(instances.get(0).path("labelsTruncated").asBoolean(), instances.toString());
    assertEquals("replica-1", instances.get(1).path("instance").asText());
    assertEquals(REPLICA_1, instances.get(1).path("labels"), instances.toString());
    assertFalse(instances.get(1).path("labelsTruncated").asBoolean(), instances.toString());
  }

  private static byte[] answer(ProcessorRuntime asked, String path) {
    HttpResponse<byte[]> r = get(asked.httpPort(), path, TOKEN);
    assertEquals(200, r.statusCode(), ApiClient.text(r));
    return r.body();
  }

  private static JsonNode tree(byte[] body) {
    try {
      return JSON.readTree(body);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}
