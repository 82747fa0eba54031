package dev.leakwatch.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leakwatch.schemas.serde.LeakwatchSerdes;
import dev.leakwatch.topology.Fixtures;
import dev.leakwatch.topology.TopologyNames;
import dev.leakwatch.topology.eval.CorpusScenario;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A service that stopped reporting loses its lifecycle state once every instance is gone
 * ({@code detection.instanceGoneAfter} of stream time), but keeps its windows for the retention:
 * queries without a range must still find them, not look at the hour before the wall clock.
 */
class QuietServiceQueryTest {

  private static final String TOKEN = "quiet-test-token";
  private static final String QUIET = "quiet-svc";
  /** Capture time of the quiet service's first capture: far from the wall clock, like a replay. */
  private static final long T0 = 1_700_000_000_000L;

  private static TwoProcessors run;

  @BeforeAll
  static void start() throws Exception {
    // a silent service is gone once instanceGoneAfter has passed on stream time and on the processors'
    // clock alike (a backlog read at once makes no service gone): short, so the test need not wait long
    run = TwoProcessors.startSharingTheWork(TOKEN, "detection:\n  instanceGoneAfter: 5s\n");
  }

  @AfterAll
  static void stop() throws Exception {
    if (run != null) {
      run.close();
    }
  }

  @Test
  void shouldShowAServiceThatStoppedReportingWhereItsDataIsWhenQueriedWithoutARange() throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      List<CorpusScenario.Capture> quiet = new java.util.ArrayList<>();
      for (int i = 0; i < 3; i++) {
        publish(producer, QUIET, i, T0 + i * 30_000L);
        quiet.add(new CorpusScenario.Capture("i1", "heap", T0 + i * 30_000L, null));
      }
      producer.flush();
      // the clock below is another instance's, on another input partition: sent at once, its report can
      // reach the per-service task before the quiet service's, which would then come after the jump and
      // start a fresh lifecycle state instead of finding the old one gone
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
          .until(() -> run.holdsEveryCapture(QUIET, quiet));
      // two hours later, another service of the same task reports live, moving its stream time and the
      // processors' clock on: the quiet service's only instance is gone and its lifecycle state deleted
      LiveClock clock = new LiveClock(producer, sameTaskAs(QUIET), T0 + Duration.ofHours(2).toMillis());
      String service = "/api/v1/services/" + QUIET;
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() ->
          clock.tick() && captures(get(service + "/top?from=" + (T0 - 60_000) + "&to=" + (T0 + 120_000))) == 3
              && get(service + "/instances").statusCode() == 404);
    }
    String service = "/api/v1/services/" + QUIET;

    HttpResponse<byte[]> top = get(service + "/top");
    assertEquals(200, top.statusCode(), ApiClient.text(top));
    assertEquals(3, captures(top), "the default range ends at the service's newest window");
    HttpResponse<byte[]> profile = get(service + "/profile?type=heap");
    assertEquals(200, profile.statusCode(), ApiClient.text(profile));
    assertTrue(profile.body().length > 0);

    HttpResponse<byte[]> suspects = get(service + "/suspects");
    assertEquals(200, suspects.statusCode(), "a quiet service is known, with no suspects: " + ApiClient.text(suspects));
    assertEquals(0, ApiClient.json(suspects).get("count").asInt());
    assertEquals(200, get(service + "/suspects/history").statusCode());
  }

  @Test
  void shouldListTheResolvedEventOfAServiceThatStoppedReportingInItsDefaultHistory() throws Exception {
    // the recorded heap leak (G) under a name of its own, in another task than the quiet service's
    CorpusScenario g = Fixtures.scenario("G");
    String leak = java.util.stream.IntStream.range(0, 100).mapToObj(i -> "gone-leak-" + i)
        .filter(n -> partition(n) != partition(QUIET)).findFirst().orElseThrow();
    var serializer = LeakwatchSerdes.profileEnvelope(Map.of(), false).serializer();
    long last = g.captures().stream().mapToLong(CorpusScenario.Capture::captureMs).max().orElseThrow();
    String service = "/api/v1/services/" + leak;
    String id;
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      for (CorpusScenario.Capture c : g.captures().stream()
          .sorted(java.util.Comparator.comparingLong(CorpusScenario.Capture::captureMs)).toList()) {
        producer.send(new ProducerRecord<>(TopologyNames.PROFILES_TOPIC, null, c.captureMs(),
            (leak + "/" + c.instance()).getBytes(StandardCharsets.UTF_8),
            serializer.serialize(TopologyNames.PROFILES_TOPIC, Fixtures.envelope(leak, c, c.captureMs()))));
      }
      producer.flush();
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() ->
          count(get(service + "/suspects")) >= 1);
      id = ApiClient.json(get(service + "/suspects")).path("suspects").path(0).path("suspectId").asText();
      // the suspect opens mid-stream: the clock below, on another input partition, could overtake the leak's
      // last captures, which would then come after the jump and bring its lifecycle state back
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
          .until(() -> run.holdsEveryCapture(leak, g.captures()));
      // two hours later another service of the same task reports live: every instance of the leaking
      // service is gone, its suspect RESOLVED, its lifecycle state deleted; the suspect's own events (its
      // whole history) hold the RESOLVED once it is recorded (the lifecycle state is awaited too: the two
      // replicas' captures, published at once from two partitions, can make one look gone for a while
      // and resolve the suspect early, docs/DETECTION.md section 8)
      LiveClock clock = new LiveClock(producer, sameTaskAs(leak), last + Duration.ofHours(2).toMillis());
      String suspect = service + "/suspects/" + id;
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() ->
          clock.tick() && get(service + "/instances").statusCode() == 404 && get(suspect).statusCode() == 200
              && ApiClient.json(get(suspect)).path("events").findValuesAsText("status").contains("RESOLVED"));
    }

    HttpResponse<byte[]> history = get(service + "/suspects/history");
    assertEquals(200, history.statusCode(), ApiClient.text(history));
    JsonNode events = ApiClient.json(history).path("events");
    assertEquals("RESOLVED", events.path(0).path("status").asText(), "newest first: " + events);
    assertTrue(events.size() >= 2, "the OPEN before it too: " + events);
  }

  @Test
  void shouldAnswer404ForTheSuspectsOfAServiceNoProcessorHasSeen() throws Exception {
    for (String path : new String[] {"/suspects", "/suspects/history"}) {
      String url = "/api/v1/services/never-seen" + path;
      // 503 until both processors run; then the owner of the service's partition answers
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
          .until(() -> get(url).statusCode() != 503);
      HttpResponse<byte[]> r = get(url);
      assertEquals(404, r.statusCode(), path + ": " + ApiClient.text(r));
      assertEquals("no processor has data of service 'never-seen' (no lifecycle state, window or suspect event"
          + " within the retention)", ApiClient.json(r).get("message").asText());
    }
  }

  /** A service name whose reports land in the same repartition partition (and task) as {@code service}'s. */
  private static String sameTaskAs(String service) {
    int partition = partition(service);
    for (int i = 0; ; i++) {
      String other = "clock-" + i;
      if (partition(other) == partition) {
        return other;
      }
    }
  }

  /** The partition the repartition topic's default partitioner gives a service key. */
  private static int partition(String service) {
    return Utils.toPositive(Utils.murmur2(service.getBytes(StandardCharsets.UTF_8))) % TwoProcessors.PARTITIONS;
  }

  /**
   * Another service reporting live: each {@link #tick} publishes its next capture, a lifecycle tick (5 s)
   * of capture time after the one before, as the processors' clock runs on between the polls.
   */
  private static final class LiveClock {
    private final KafkaProducer<byte[], byte[]> producer;
    private final String service;
    private long nextMs;

    LiveClock(KafkaProducer<byte[], byte[]> producer, String service, long fromMs) {
      this.producer = producer;
      this.service = service;
      this.nextMs = fromMs;
    }

    /** Publishes the next capture; true, so that it can lead an await condition. */
    boolean tick() {
      publish(producer, service, 3, nextMs);
      producer.flush();
      nextMs += 5_000;
      return true;
    }
  }

  private static void publish(KafkaProducer<byte[], byte[]> producer, String service, int file, long captureMs) {
    producer.send(new ProducerRecord<>(TopologyNames.PROFILES_TOPIC, null, captureMs,
        (service + "/i1").getBytes(StandardCharsets.UTF_8), TwoProcessors.benchHeapEnvelope(service, "i1", file, captureMs)));
  }

  private static KafkaProducer<byte[], byte[]> producer() {
    return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, run.cluster.bootstrapServers(),
        ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 20 << 20),
        new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static int count(HttpResponse<byte[]> r) {
    return r.statusCode() == 200 ? ApiClient.json(r).path("count").asInt() : -1;
  }

  private static HttpResponse<byte[]> get(String path) {
    return ApiClient.get(run.a.httpPort(), path, TOKEN);
  }

  private static long captures(HttpResponse<byte[]> r) throws IOException {
    if (r.statusCode() != 200) {
      return -1;
    }
    JsonNode json = new ObjectMapper().readTree(r.body());
    return json.path("captures").asLong();
  }
}
