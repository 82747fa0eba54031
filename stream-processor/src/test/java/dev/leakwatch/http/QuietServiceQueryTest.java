package dev.leakwatch.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leakwatch.topology.TopologyNames;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
    run = TwoProcessors.startSharingTheWork(TOKEN);
  }

  @AfterAll
  static void stop() throws Exception {
    if (run != null) {
      run.close();
    }
  }

  @Test
  void shouldShowAServiceThatStoppedReportingWhereItsDataIsWhenQueriedWithoutARange() throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, run.cluster.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < 3; i++) {
        publish(producer, QUIET, i, T0 + i * 30_000L);
      }
      // two hours later, a capture of another service of the same task moves its stream time on:
      // the quiet service's only instance is gone and its lifecycle state deleted
      publish(producer, sameTaskAs(QUIET), 3, T0 + Duration.ofHours(2).toMillis());
      producer.flush();
    }
    String service = "/api/v1/services/" + QUIET;
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() ->
        captures(get(service + "/top?from=" + (T0 - 60_000) + "&to=" + (T0 + 120_000))) == 3
            && get(service + "/instances").statusCode() == 404);

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

  private static void publish(KafkaProducer<byte[], byte[]> producer, String service, int file, long captureMs) {
    producer.send(new ProducerRecord<>(TopologyNames.PROFILES_TOPIC, null, captureMs,
        (service + "/i1").getBytes(StandardCharsets.UTF_8), TwoProcessors.benchHeapEnvelope(service, "i1", file, captureMs)));
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
