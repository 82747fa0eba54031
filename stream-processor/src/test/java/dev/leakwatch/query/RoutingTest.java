package dev.leakwatch.query;

import static dev.leakwatch.query.FakeCluster.OTHER;
import static dev.leakwatch.query.FakeCluster.SELF;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.topology.TopologyNames;
import java.util.List;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

/** Questions about a key are answered by its owner: here, forwarded once, or refused with a reason. */
class RoutingTest {

  private static final String STORE = TopologyNames.SERVICE_WINDOWS_STORE;
  private static final Call CALL = new Call("/api/v1/services/orders/top?limit=3", false);

  private final FakeCluster cluster = new FakeCluster();

  private Routing routing(int attempts) {
    return new Routing(new KeyRouter(cluster, SELF), cluster, new Retry(attempts, 0));
  }

  @Test
  void shouldComputeLocallyOnTheOwnersPartitionWhenThisInstanceOwnsTheKey() {
    cluster.owner(SELF, 3);
    Routed<String> r = routing(1).route(CALL, STORE, "orders", p -> "partition " + p);
    assertEquals(new Routed.Local<>("partition 3", "a:1"), r);
    assertTrue(cluster.asked.isEmpty());
  }

  @Test
  void shouldForwardTheSameRequestToTheOwnerAndPassItsAnswerThrough() {
    cluster.owner(OTHER, 1).peer(OTHER, path -> FakeCluster.text(200, "answer to " + path));
    Routed<String> r = routing(1).route(CALL, STORE, "orders", p -> "local");
    Routed.Forwarded<String> f = (Routed.Forwarded<String>) r;
    assertEquals("b:2", f.servedBy());
    assertArrayEquals(("answer to " + CALL.pathAndQuery()).getBytes(), f.response().body());
  }

  @Test
  void shouldPassTheOwnersClientErrorsThroughUnchanged() {
    cluster.owner(OTHER, 1).peer(OTHER, path -> FakeCluster.json(404, new ErrorBody(404, "not_found", "no such",
        null, null, null, null)));
    Routed.Forwarded<String> f = (Routed.Forwarded<String>) routing(1).route(CALL, STORE, "orders", p -> "local");
    assertEquals(404, f.response().status());
  }

  @Test
  void shouldRefuseAForwardedRequestForAKeyOwnedElsewhereRatherThanForwardAgain() {
    cluster.owner(OTHER, 5);
    UnavailableException e = assertThrows(UnavailableException.class,
        () -> routing(2).route(new Call(CALL.pathAndQuery(), true), STORE, "orders", p -> "local"));
    assertTrue(e.getMessage().contains("ownership is moving"), e.getMessage());
    assertEquals(List.of("partition 5 of " + STORE + ": owner b:2"), e.details());
    assertTrue(cluster.asked.isEmpty(), "never forwarded twice");
  }

  @Test
  void shouldRefuseWith503WhenNoInstanceOwnsTheKey() {
    cluster.owner(HostInfo.unavailable(), -1);
    UnavailableException e = assertThrows(UnavailableException.class,
        () -> routing(2).route(CALL, STORE, "orders", p -> "local"));
    assertTrue(e.getMessage().startsWith("no instance owns key 'orders' of store " + STORE), e.getMessage());
  }

  @Test
  void shouldRetryWhenTheOwnerMovesAndAnswerFromTheNewOwner() {
    cluster.owner(OTHER, 2).owner(SELF, 2)
        .peer(OTHER, path -> FakeCluster.json(503, new ErrorBody(503, "unavailable", "partition 2 NOT_ACTIVE",
            null, null, null, List.of())));
    Routed<String> r = routing(3).route(CALL, STORE, "orders", p -> "here");
    assertEquals(new Routed.Local<>("here", "a:1"), r);
  }

  @Test
  void shouldNotRetryAnOwnersFailureThatItSaysAskingAgainCannotHelp() {
    int[] asked = {0};
    cluster.owner(OTHER, 2).peer(OTHER, path -> {
      asked[0]++;
      return FakeCluster.json(503, new ErrorBody(503, "unavailable", "answer too large", null, null, null,
          List.of(), false));
    });
    UnavailableException e = assertThrows(UnavailableException.class,
        () -> routing(3).route(CALL, STORE, "orders", p -> "here"));
    assertFalse(e.retryable(), e.getMessage());
    assertEquals(1, asked[0], "asked once");
  }

  @Test
  void shouldReadAForwardedFailureBackAsTheSameExceptionWhenFetchingAValue() {
    cluster.owner(OTHER, 1).peer(OTHER, path -> FakeCluster.json(400,
        new ErrorBody(400, "bad_request", "x", "from", "abc", "must be a time", null)));
    InvalidParameterException e = assertThrows(InvalidParameterException.class,
        () -> routing(1).fetch("/x", STORE, "orders", p -> "local", String.class));
    assertEquals("from", e.parameter());
    assertEquals("abc", e.value());
    assertEquals("must be a time", e.rule());
  }
}
