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
 * order ({@code "a-b/..."} before {@code "a/..."}) differs from the listing's name order. One
 * service ({@link #WIDE}) has more instances than a page lists, spread over both processors'
 * partitions, with names whose key order differs from their name order too.
 */
class ServiceListingPagingTest {

  private static final String TOKEN = "paging-token";
  private static final List<String> SERVICES = List.of("a", "a-b", "a.c", "a0", "b", "b-", "c", "d", "e", "f",
      // name order (UTF-16 units) puts U+1F600 before U+E000; the store's UTF-8 key order the other way
      "\uD83D\uDE00", "\uE000");
  /** The service with many instances, more than the default page of 100. */
  private static final String WIDE = "f";
  /** {@link #WIDE}'s instances, by name (Java string order); keys sort "w-1/" < "w/1/" < "w/HEAP". */
  private static final List<String> WIDE_INSTANCES = wideInstances();

  private static TwoProcessors run;

  @BeforeAll
  static void feedServices() throws Exception {
    run = TwoProcessors.startSharingTheWork(TOKEN);
    long t = 1_795_677_100_000L;
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, run.cluster.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      for (String service : SERVICES) {
        for (String instance : service.equals(WIDE) ? WIDE_INSTANCES : List.of("i-0", "i-1", "i-2")) {
          producer.send(new ProducerRecord<>(TopologyNames.PROFILES_TOPIC, null, t,
              (service + "/" + instance).getBytes(StandardCharsets.UTF_8),
              TwoProcessors.benchHeapEnvelope(service, instance, 0, t)));
        }
      }
      producer.flush();
    }
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
      HttpResponse<byte[]> r = get(run.a.httpPort(), "/api/v1/services?instances=1000", TOKEN);
      return r.statusCode() == 200 && json(r).path("services").findValues("instance").size()
          == 3 * (SERVICES.size() - 1) + WIDE_INSTANCES.size();
    });
    // the service's live instances (.../instances) are the service-level table, fed through the
    // repartition topic after the per-instance series the listing reads: under load it lags them
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
      HttpResponse<byte[]> r = get(run.a.httpPort(), "/api/v1/services/" + WIDE + "/instances?limit=1000", TOKEN);
      return r.statusCode() == 200 && json(r).path("instances").size() == WIDE_INSTANCES.size();
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
    String partitions = partitionsOf(asked);
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

  @Test
  void shouldListAtMostTheAskedInstancesPerServiceAndCountThemAllAcrossProcessors() {
    for (ProcessorRuntime asked : List.of(run.a, run.b)) {
      JsonNode byDefault = wide(listing(asked, ""));
      assertEquals(WIDE_INSTANCES.subList(0, 100), instanceNames(byDefault), "100 by default, the first by name");
      assertEquals(WIDE_INSTANCES.size(), byDefault.path("instanceCount").asInt());
      assertTrue(byDefault.path("instancesTruncated").asBoolean());
      JsonNode five = listing(asked, "?instances=5");
      assertEquals(WIDE_INSTANCES.subList(0, 5), instanceNames(wide(five)));
      assertEquals(WIDE_INSTANCES.size(), wide(five).path("instanceCount").asInt());
      five.path("services").forEach(s -> {
        if (!s.path("service").asText().equals(WIDE)) {
          assertEquals(List.of("i-0", "i-1", "i-2"), instanceNames(s));
          assertEquals(3, s.path("instanceCount").asInt());
          assertFalse(s.path("instancesTruncated").asBoolean(), s.toString());
        }
      });
      JsonNode none = wide(listing(asked, "?instances=0"));
      assertEquals(List.of(), instanceNames(none));
      assertEquals(WIDE_INSTANCES.size(), none.path("instanceCount").asInt());
      assertEquals("[\"heap\"]", none.path("profileTypes").toString(), "counted over every instance");
      assertEquals(SERVICES, names(listing(asked, "?instances=1000&limit=100")), "100 x 1000 instances at most");
      JsonNode all = wide(listing(asked, "?instances=1000"));
      assertEquals(WIDE_INSTANCES, instanceNames(all));
      assertFalse(all.path("instancesTruncated").asBoolean());
    }
  }

  @Test
  void shouldSendAtMostTheAskedInstancesPerServiceInAPartWithTheCountOfAll() {
    int counted = 0;
    for (ProcessorRuntime asked : List.of(run.a, run.b)) {
      HttpResponse<byte[]> r = get(asked.httpPort(), ApiPaths.PART_SERVICES + "?partitions=" + partitionsOf(asked)
          + "&service=" + WIDE + "&instances=2", TOKEN);
      assertEquals(200, r.statusCode(), ApiClient.text(r));
      List<String> sent = json(r).path("entries").findValuesAsText("instance");
      assertEquals(2, sent.size(), ApiClient.text(r));
      JsonNode summary = json(r).path("services").get(0);
      assertTrue(summary.path("instanceCount").asInt() > 2, "both processors hold several: " + summary);
      counted += summary.path("instanceCount").asInt();
    }
    assertEquals(WIDE_INSTANCES.size(), counted, "the parts' counts add up to the service's");
  }

  @Test
  void shouldPageAServicesInstancesByNameFromEitherInstance() {
    for (ProcessorRuntime asked : List.of(run.a, run.b)) {
      for (String resource : List.of("/api/v1/services/" + WIDE, "/api/v1/services/" + WIDE + "/instances")) {
        JsonNode first = get200(asked, resource);
        assertEquals(WIDE_INSTANCES.subList(0, 100), instanceNames(first), resource + ": 100 by default");
        assertEquals(WIDE_INSTANCES.get(99), first.path("next").asText());
        List<String> seen = new ArrayList<>();
        String query = "?limit=7";
        while (true) {
          JsonNode page = get200(asked, resource + query);
          assertEquals(WIDE_INSTANCES.size(), page.path("instanceCount").asInt(), resource);
          assertEquals(page.path("instances").size(), page.path("count").asInt(), resource);
          seen.addAll(instanceNames(page));
          if (!page.path("truncated").asBoolean()) {
            assertTrue(page.path("next").isNull(), page.toString());
            break;
          }
          assertEquals(7, page.path("count").asInt(), resource);
          query = "?limit=7&after=" + ApiPaths.query(page.path("next").asText());
        }
        assertEquals(WIDE_INSTANCES, seen, resource);
      }
    }
    HttpResponse<byte[]> zero = get(run.a.httpPort(), "/api/v1/services/" + WIDE + "?limit=0", TOKEN);
    assertEquals("limit", json(zero).path("parameter").asText(), ApiClient.text(zero));
    HttpResponse<byte[]> big = get(run.a.httpPort(), "/api/v1/services?instances=1001", TOKEN);
    assertEquals("instances", json(big).path("parameter").asText(), ApiClient.text(big));
  }

  @Test
  void shouldPageASitesSeriesAcrossLiveInstancesByNameFromEitherInstance() {
    String resource = "/api/v1/services/" + WIDE + "/sites/0000000000000001/series";
    for (ProcessorRuntime asked : List.of(run.a, run.b)) {
      JsonNode first = get200(asked, resource);
      assertEquals(WIDE_INSTANCES.subList(0, 100), first.path("instances").findValuesAsText("instance"), "100 by default");
      assertEquals(WIDE_INSTANCES.size(), first.path("instanceCount").asInt());
      assertTrue(first.path("truncated").asBoolean(), first.path("next").toString());
      assertEquals(WIDE_INSTANCES.get(99), first.path("next").asText());
      List<String> seen = new ArrayList<>();
      String query = "?limit=7";
      while (true) {
        JsonNode page = get200(asked, resource + query);
        List<String> names = page.path("instances").findValuesAsText("instance");
        assertEquals(names.size(), page.path("count").asInt());
        assertEquals(WIDE_INSTANCES.size(), page.path("instanceCount").asInt());
        seen.addAll(names);
        if (!page.path("truncated").asBoolean()) {
          assertTrue(page.path("next").isNull(), page.toString());
          break;
        }
        assertEquals(7, names.size());
        query = "?limit=7&after=" + ApiPaths.query(page.path("next").asText());
      }
      assertEquals(WIDE_INSTANCES, seen);
    }
    HttpResponse<byte[]> big = get(run.a.httpPort(), resource + "?limit=1001", TOKEN);
    assertEquals("limit", json(big).path("parameter").asText(), ApiClient.text(big));
    HttpResponse<byte[]> one = get(run.a.httpPort(), resource + "?instance=w&limit=1", TOKEN);
    assertEquals("limit", json(one).path("parameter").asText(), ApiClient.text(one));
  }

  @Test
  void shouldSendOnlyTheInstancesWithinThePagesNamesInASeriesPart() {
    // after "w-005" through "w-011": w-006 .. w-011 of either processor's partitions, no other instance
    List<String> span = WIDE_INSTANCES.subList(WIDE_INSTANCES.indexOf("w-005") + 1, WIDE_INSTANCES.indexOf("w-011") + 1);
    List<String> sent = new ArrayList<>();
    for (ProcessorRuntime asked : List.of(run.a, run.b)) {
      String part = ApiPaths.PART_SERIES + "?partitions=" + partitionsOf(asked) + "&service=" + WIDE
          + "&site=0000000000000001&kind=heap";
      JsonNode bounded = get200(asked, part + "&after=w-005&through=w-011");
      List<String> names = bounded.path("instances").findValuesAsText("instance");
      assertTrue(span.containsAll(names), names.toString());
      sent.addAll(names);
      assertTrue(get200(asked, part).path("instances").size() > span.size(), "unbounded: every instance held");
    }
    sent.sort(null);
    assertEquals(span, sent, "the parts hold the span's instances between them");
  }

  private static JsonNode get200(ProcessorRuntime asked, String path) {
    HttpResponse<byte[]> r = get(asked.httpPort(), path, TOKEN);
    assertEquals(200, r.statusCode(), path + ": " + ApiClient.text(r));
    return json(r);
  }

  private static JsonNode wide(JsonNode listing) {
    for (JsonNode s : listing.path("services")) {
      if (s.path("service").asText().equals(WIDE)) {
        return s;
      }
    }
    throw new AssertionError("no service " + WIDE + " in " + listing);
  }

  private static List<String> instanceNames(JsonNode service) {
    List<String> out = new ArrayList<>();
    service.path("instances").forEach(i -> out.add(i.path("instance").asText()));
    return out;
  }

  private static List<String> wideInstances() {
    List<String> out = new ArrayList<>(List.of("w", "w-1", "w/1"));
    for (int i = 0; i < 117; i++) {
      out.add(String.format("w-%03d", i));
    }
    out.sort(null);
    return List.copyOf(out);
  }

  private static String partitionsOf(ProcessorRuntime asked) {
    return asked.streams().metadataForAllStreamsClients().stream()
        .filter(m -> m.hostInfo().port() == Integer.parseInt(asked.advertisedServer().split(":")[1]))
        .map(StreamsMetadata::topicPartitions).flatMap(java.util.Set::stream)
        .filter(tp -> tp.topic().equals(TopologyNames.PROFILES_TOPIC))
        .map(tp -> String.valueOf(tp.partition())).sorted().collect(Collectors.joining(","));
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
