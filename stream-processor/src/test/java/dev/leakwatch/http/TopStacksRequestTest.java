package dev.leakwatch.http;

import static dev.leakwatch.http.ApiClient.get;
import static dev.leakwatch.http.ApiClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leakwatch.query.ErrorBody;
import dev.leakwatch.query.JsonCodec;
import dev.leakwatch.query.KeyRouter;
import dev.leakwatch.query.PeerResponse;
import dev.leakwatch.query.Retry;
import dev.leakwatch.query.Routing;
import dev.leakwatch.query.StackRequests;
import dev.leakwatch.query.StreamsDirectory;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code stacks} of {@code /top} at the HTTP layer (over a stub query API): the ids it refuses and
 * why, the bound, and an owner of the release before {@code stacks}, whose refusal reaches the client
 * unchanged rather than a top list answered without the filter.
 */
class TopStacksRequestTest {

  private static final String TOKEN = "t0ken";
  private static final String TOP = "/api/v1/services/orders/top";
  private static final String RULE = "must be 1 to 1000 comma-separated stack ids of 16 hex digits, each at most once";

  private StubServer stub;
  private StubQueryApi api;
  private int port;

  @BeforeEach
  void start() {
    stub = new StubServer(TOKEN);
    api = stub.api;
    port = stub.port;
  }

  @AfterEach
  void stop() {
    stub.close();
  }

  private static String ids(int n) {
    return IntStream.rangeClosed(1, n).mapToObj(i -> String.format("%016x", i)).collect(Collectors.joining(","));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiterString = " >> ", value = {
      "?stacks=00000000000000a1,xyz >> stacks >> 00000000000000a1,xyz >> " + RULE + "; id 2 ('xyz') is not 16 hex digits",
      "?stacks=00000000000000a1,,00000000000000b1 >> stacks >> 00000000000000a1,,00000000000000b1 >> " + RULE
          + "; id 2 ('') is not 16 hex digits",
      "?stacks=00000000000000a1,00000000000000a1x >> stacks >> 00000000000000a1,00000000000000a1x >> " + RULE
          + "; id 2 ('00000000000000a1x') is not 16 hex digits",
      "?stacks=00000000000000a1,00000000000000A1 >> stacks >> 00000000000000a1,00000000000000A1 >> " + RULE
          + "; id 2 ('00000000000000A1') was given before",
      "?stacks=00000000000000a1&limit=5 >> limit >> 5 >> is not taken with 'stacks'",
  })
  void shouldRefuseAStacksRequestNamingTheParameterAndTheIdAtFaultWhenAnIdIsMalformedRepeatedOrLimited(String query,
      String parameter, String value, String rule) {
    HttpResponse<byte[]> r = get(port, TOP + query, TOKEN);
    assertEquals(400, r.statusCode(), ApiClient.text(r));
    JsonNode e = json(r);
    assertEquals(parameter, e.path("parameter").asText());
    assertEquals(value, e.path("value").asText());
    assertEquals(rule, e.path("rule").asText());
    assertTrue(api.received.isEmpty(), "nothing reached the query layer");
  }

  @Test
  void shouldRefuseMoreThanAThousandStackIdsSayingHowManyWereGiven() {
    HttpResponse<byte[]> r = get(port, TOP + "?stacks=" + ids(1001), TOKEN);
    assertEquals(400, r.statusCode(), ApiClient.text(r));
    assertEquals("stacks", json(r).path("parameter").asText());
    assertEquals(RULE + "; 1001 given", json(r).path("rule").asText());
  }

  @Test
  void shouldAskForExactlyTheGivenIdsWhenAThousandAreGiven() {
    HttpResponse<byte[]> r = get(port, TOP + "?metric=goroutines&frames=8&stacks=" + ids(1000), TOKEN);
    assertEquals(200, r.statusCode(), ApiClient.text(r));
    StackRequests.Top asked = (StackRequests.Top) api.received.get(0);
    assertEquals(LongStream.rangeClosed(1, 1000).boxed().collect(Collectors.toSet()), asked.stacks());
    assertEquals(1000, asked.limit(), "as many rows as ids");
    assertEquals(8, asked.frames());
  }

  /**
   * During a rolling upgrade the service's owner may run the release before {@code stacks}: it
   * refuses the parameter, as it refuses every unknown one. The request reaches it as asked and its
   * refusal is the answer, so a client never reads its plain top list as the given stacks' values.
   */
  @Test
  void shouldAnswerTheOlderOwnersRefusalOfStacksUnchangedWhenTheOwnerRunsTheReleaseBeforeIt() {
    HostInfo older = new HostInfo("older", 7);
    List<String> forwarded = new ArrayList<>();
    api.topRouting = new Routing(new KeyRouter(ownedBy(older), new HostInfo("127.0.0.1", port)), (host, path) -> {
      forwarded.add(path);
      return CompletableFuture.completedFuture(olderOwner(path));
    }, new Retry(1, 0));
    String query = "?metric=inuse_space&stacks=00000000000000a1,00000000000000b1";

    HttpResponse<byte[]> r = get(port, TOP + query, TOKEN);

    assertEquals(List.of(TOP + query), forwarded, "forwarded as asked, stacks included");
    assertEquals(400, r.statusCode(), ApiClient.text(r));
    assertEquals("older:7", r.headers().firstValue("Leakwatch-Served-By").orElse(""));
    assertEquals("stacks", json(r).path("parameter").asText());
    assertTrue(json(r).path("rule").asText().startsWith("is not a parameter of"), ApiClient.text(r));
  }

  /** What an owner of the release before {@code stacks} answers: it refuses the parameter by name. */
  private static PeerResponse olderOwner(String pathAndQuery) {
    String query = pathAndQuery.substring(pathAndQuery.indexOf('?') + 1);
    for (String p : query.split("&")) {
      String name = p.substring(0, p.indexOf('='));
      if (!Set.of("metric", "from", "to", "limit", "frames").contains(name)) {
        String rule = "is not a parameter of /api/v1/services/{service}/top (it takes metric, from, to, limit, frames)";
        String value = p.substring(p.indexOf('=') + 1);
        return new PeerResponse(400, "application/json", JsonCodec.write(new ErrorBody(400, "bad_request",
            "parameter '" + name + "' = '" + value + "': " + rule, name, value, rule, null)));
      }
    }
    return new PeerResponse(200, "application/json", "{\"top\":[]}".getBytes());
  }

  /** A directory in which {@code owner} holds every service's partition 0. */
  private static StreamsDirectory ownedBy(HostInfo owner) {
    return new StreamsDirectory() {
      @Override
      public Collection<StreamsMetadata> streamsMetadataForStore(String store) {
        return List.of();
      }

      @Override
      public KeyQueryMetadata queryMetadataForKey(String store, String key) {
        return new KeyQueryMetadata(owner, Set.of(), 0);
      }

      @Override
      public KafkaStreams.State state() {
        return KafkaStreams.State.RUNNING;
      }
    };
  }
}
