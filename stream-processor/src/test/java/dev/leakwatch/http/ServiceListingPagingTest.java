package dev.leakwatch.http;

import static dev.leakwatch.http.ApiClient.get;
import static dev.leakwatch.http.ApiClient.json;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leakwatch.processor.ProcessorRuntime;
import dev.leakwatch.query.ApiPaths;
import dev.leakwatch.topology.TopologyNames;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The service listing in pages, on two processors fed recorded Go heap profiles: pages of
 * {@code limit} services after {@code after} add up to the whole listing from either instance,
 * and no instance's part holds more than a page. Service names are chosen so that the stores' key
 * order ({@code "a-b/..."} before {@code "a/..."}) differs from the listing's name order.
 */
class ServiceListingPagingTest {

  private static final String TOKEN = "paging-token";
  private static final List<String> SERVICES = List.of("a", "a-b", "a.c", "a0", "b", "b-", "c", "d", "e");

  private static TwoProcessors run;

  @BeforeAll
  static void feedServices() throws Exception {
    run = TwoProcessors.startSharingTheWork(TOKEN);
    long t = 1_795_677_100_000L;
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, run.cluster.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      for (String service : SERVICES) {
        for (String instance : List.of("i-0", "i-1", "i-2")) {
          producer.send(new ProducerRecord<>(TopologyNames.PROFILES_TOPIC, null, t,
              (service + "/" + instance).getBytes(StandardCharsets.UTF_8),
              TwoProcessors.benchHeapEnvelope(service, instance, 0, t)));
        }
      }
      producer.flush();
    }
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
      HttpResponse<byte[]> r = get(run.a.httpPort(), "/api/v1/services", TOKEN);
      return r.statusCode() == 200 && json(r).path("services").findValues("instance").size() == 3 * SERVICES.size();
    });
  }

  @AfterAll
  static void stop() throws Exception {
    if (run != null) {
      run.close();
    }
  }

  @Test
  void shouldListEveryServiceOnceAcrossPagesInNameOrderFromEitherInstance() {
    for (ProcessorRuntime asked : List.of(run.a, run.b)) {
      JsonNode whole = listing(asked, "");
      assertFalse(whole.path("truncated").asBoolean(), whole.toString());
      assertTrue(whole.path("next").isNull(), whole.toString());
      assertEquals(SERVICES, names(whole));
      for (int limit : new int[] {1, 2, 4}) {
        List<JsonNode> pages = new ArrayList<>();
        String query = "?limit=" + limit;
        while (true) {
          JsonNode page = listing(asked, query);
          pages.add(page);
          assertTrue(page.path("count").asInt() <= limit, page.toString());
          if (!page.path("truncated").asBoolean()) {
            break;
          }
          assertEquals(names(page).get(names(page).size() - 1), page.path("next").asText());
          query = "?limit=" + limit + "&after=" + ApiPaths.query(page.path("next").asText());
        }
        List<String> services = new ArrayList<>();
        pages.forEach(p -> p.path("services").forEach(s -> services.add(s.toString())));
        List<String> expected = new ArrayList<>();
        whole.path("services").forEach(s -> expected.add(s.toString()));
        assertEquals(expected, services, "limit " + limit);
        assertEquals((SERVICES.size() + limit - 1) / limit, pages.size(), "full pages, then the rest");
      }
    }
  }

  @Test
  void shouldKeepAtMostAPageOfServicesInOneInstancesPart() {
    ProcessorRuntime asked = run.a;
    String partitions = asked.streams().metadataForAllStreamsClients().stream()
        .filter(m -> m.hostInfo().port() == Integer.parseInt(asked.advertisedServer().split(":")[1]))
        .map(StreamsMetadata::topicPartitions).flatMap(java.util.Set::stream)
        .filter(tp -> tp.topic().equals(TopologyNames.PROFILES_TOPIC))
        .map(tp -> String.valueOf(tp.partition())).sorted().collect(Collectors.joining(","));
    HttpResponse<byte[]> all = get(asked.httpPort(), ApiPaths.PART_SERVICES + "?partitions=" + partitions, TOKEN);
    HttpResponse<byte[]> one = get(asked.httpPort(), ApiPaths.PART_SERVICES + "?partitions=" + partitions
        + "&limit=1", TOKEN);
    assertEquals(200, one.statusCode(), ApiClient.text(one));
    List<String> held = json(all).path("entries").findValues("service").stream().map(JsonNode::asText).distinct()
        .sorted().toList();
    assertTrue(held.size() > 1, "this instance holds several services: " + held);
    List<String> kept = json(one).path("entries").findValues("service").stream().map(JsonNode::asText).distinct()
        .toList();
    assertEquals(List.of(held.get(0)), kept);
    assertTrue(json(one).path("more").asBoolean(), ApiClient.text(one));
  }

  @Test
  void shouldRefuseALimitAboveAThousandAndAnAfterThatIsNoServiceName() {
    HttpResponse<byte[]> big = get(run.a.httpPort(), "/api/v1/services?limit=1001", TOKEN);
    assertEquals(400, big.statusCode());
    assertEquals("limit", json(big).path("parameter").asText());
    HttpResponse<byte[]> bad = get(run.a.httpPort(), "/api/v1/services?after=a%2Fb", TOKEN);
    assertEquals(400, bad.statusCode());
    assertEquals("after", json(bad).path("parameter").asText(), ApiClient.text(bad));
  }

  private static JsonNode listing(ProcessorRuntime asked, String query) {
    HttpResponse<byte[]> r = get(asked.httpPort(), "/api/v1/services" + query, TOKEN);
    assertEquals(200, r.statusCode(), ApiClient.text(r));
    return json(r);
  }

  private static List<String> names(JsonNode listing) {
    List<String> out = new ArrayList<>();
    listing.path("services").forEach(s -> out.add(s.path("service").asText()));
    return out;
  }
}
