package dev.leakwatch.query;

import static dev.leakwatch.query.FakeCluster.OTHER;
import static dev.leakwatch.query.FakeCluster.SELF;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.topology.TopologyNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/** A fan-out is complete or refused: every partition answered exactly once, or a 503 naming what failed. */
class FanOutTest {

  /** A part that says which partitions it covered. */
  record Covered(List<Integer> partitions) {}

  private static final String STORE = TopologyNames.SUSPECT_LIFECYCLE_STORE;

  private final FakeCluster cluster = new FakeCluster();

  private FanOut fanOut(int attempts) {
    return new FanOut(cluster, SELF, cluster, FakeCluster.LAYOUT, new Retry(attempts, 0));
  }

  private static Covered local(Set<Integer> partitions) {
    return new Covered(new ArrayList<>(new TreeSet<>(partitions)));
  }

  @Test
  void shouldCollectOnePartPerInstanceAskingEachForItsOwnPartitions() {
    cluster.assign(Map.of(SELF, Set.of(0, 2), OTHER, Set.of(1, 3)))
        .peer(OTHER, path -> FakeCluster.json(200, new Covered(List.of(1, 3))));
    List<Covered> parts = fanOut(1).collect(STORE, FanOutTest::local, "/part?x=1", Covered.class);
    List<Integer> all = new ArrayList<>();
    parts.forEach(p -> all.addAll(p.partitions()));
    all.sort(null);
    assertEquals(List.of(0, 1, 2, 3), all, "every partition once");
    assertEquals(List.of("b:2/part?x=1&partitions=1,3"), cluster.asked);
  }

  @Test
  void shouldRefuseWith503NamingThePartitionWithoutOwnerInsteadOfAnsweringPartially() {
    cluster.assign(Map.of(SELF, Set.of(0, 1), OTHER, Set.of(3)))
        .peer(OTHER, path -> FakeCluster.json(200, new Covered(List.of(3))));
    UnavailableException e = assertThrows(UnavailableException.class,
        () -> fanOut(2).collect(STORE, FanOutTest::local, "/part", Covered.class));
    assertEquals(List.of("partition 2 of " + STORE + ": no active owner"), e.details());
    assertTrue(e.retryable());
  }

  @Test
  void shouldRefuseWith503NamingTheUnreachableInstanceAndItsPartitions() {
    cluster.assign(Map.of(SELF, Set.of(0, 1), OTHER, Set.of(2, 3)));
    UnavailableException e = assertThrows(UnavailableException.class,
        () -> fanOut(3).collect(STORE, FanOutTest::local, "/part", Covered.class));
    assertEquals(1, e.details().size());
    assertTrue(e.details().get(0).startsWith("host b:2 partitions [2, 3]: "), e.details().toString());
    assertTrue(e.details().get(0).contains("connection refused"), e.details().toString());
    assertEquals(3, cluster.asked.size(), "asked again on each attempt");
  }

  @Test
  void shouldRefuseWhenAnInstanceCannotAnswerForAllItsPartitionsAndPassItsReasonOn() {
    cluster.assign(Map.of(SELF, Set.of(0, 1), OTHER, Set.of(2, 3))).peer(OTHER, path -> FakeCluster.json(503,
        new ErrorBody(503, "unavailable", "1 of 2 partitions could not answer", null, null, null,
            List.of("partition 3 of " + STORE + ": NOT_ACTIVE"))));
    UnavailableException e = assertThrows(UnavailableException.class,
        () -> fanOut(1).collect(STORE, FanOutTest::local, "/part", Covered.class));
    assertTrue(e.getMessage().contains("no partial answer"), e.getMessage());
    assertTrue(e.details().get(0).contains("1 of 2 partitions could not answer"), e.details().toString());
  }

  @Test
  void shouldNotAskAgainWhenAnInstanceFailsInAWayNoRetryCures() {
    cluster.assign(Map.of(SELF, Set.of(0, 1), OTHER, Set.of(2, 3))).failing(OTHER,
        new UnavailableException("instance b:2 answered more than 1024 bytes", false, List.of()));
    UnavailableException e = assertThrows(UnavailableException.class,
        () -> fanOut(3).collect(STORE, FanOutTest::local, "/part", Covered.class));
    assertFalse(e.retryable(), "an oversized answer is not worth a retry");
    assertEquals(1, cluster.asked.size(), "asked once");
    assertTrue(e.details().get(0).contains("more than 1024 bytes"), e.details().toString());
  }

  @Test
  void shouldRefuseWith503NamingTrailingPartitionsWithoutOwner() {
    cluster.assign(Map.of(SELF, Set.of(0, 1), OTHER, Set.of(2, 3))).state(KafkaStreams.State.RUNNING);
    FanOut f = fanOut(1);
    f.learnPartitionCounts(); // the store has four partitions
    cluster.assign(Map.of(SELF, Set.of(0, 1), OTHER, Set.of(2))).state(KafkaStreams.State.REBALANCING)
        .peer(OTHER, path -> FakeCluster.json(200, new Covered(List.of(2))));
    cluster.streamsMetadataForStore(STORE); // the first assignment is used up
    UnavailableException e = assertThrows(UnavailableException.class,
        () -> f.collect(STORE, FanOutTest::local, "/part", Covered.class));
    assertEquals(List.of("partition 3 of " + STORE + ": no active owner"), e.details());
    assertTrue(e.retryable());
  }

  @Test
  void shouldAnswerOnceOwnershipSettlesWithinTheRetries() {
    cluster.assign(Map.of(SELF, Set.of(0, 1), OTHER, Set.of(3)))   // partition 2 moving
        .assign(Map.of(SELF, Set.of(0, 1), OTHER, Set.of(2, 3)))
        .peer(OTHER, path -> FakeCluster.json(200, new Covered(List.of(2, 3))));
    List<Covered> parts = fanOut(3).collect(STORE, FanOutTest::local, "/part", Covered.class);
    assertEquals(2, parts.size());
  }

  @Test
  void shouldRefuseWith503WhenNoInstanceHoldsTheStoreYet() {
    cluster.assign(Map.of());
    UnavailableException e = assertThrows(UnavailableException.class,
        () -> fanOut(1).collect(STORE, FanOutTest::local, "/part", Covered.class));
    assertTrue(e.getMessage().startsWith("no instance holds partitions of store " + STORE), e.getMessage());
  }

  @Test
  void shouldRefusePartitionBeyondTheCountWith400NamingItAndTheCount() {
    cluster.assign(Map.of(SELF, Set.of(0, 2), OTHER, Set.of(1, 3))).state(KafkaStreams.State.RUNNING);
    fanOut(1).requireExisting(STORE, Set.of(0, 3));
    InvalidParameterException e = assertThrows(InvalidParameterException.class,
        () -> fanOut(1).requireExisting(STORE, Set.of(1, 7)));
    assertEquals("partitions", e.parameter());
    assertEquals("1,7", e.value());
    assertEquals("partition 7 does not exist: store " + STORE + " has 4 partitions (0 to 3)", e.rule());
  }

  @Test
  void shouldRefuseWithTheCountLastSeenRunningWhileTheAssignmentMoves() {
    cluster.assign(Map.of(SELF, Set.of(0, 2), OTHER, Set.of(1, 3))).state(KafkaStreams.State.RUNNING);
    FanOut learnt = fanOut(1);
    learnt.learnPartitionCounts();
    FanOut asked = fanOut(1);
    asked.requireExisting(STORE, Set.of(0, 3));
    // a rebalance: the assignment says nothing complete, the topic still has its four partitions
    cluster.state(KafkaStreams.State.REBALANCING);
    for (FanOut f : List.of(learnt, asked)) {
      f.requireExisting(STORE, Set.of(1, 3));
      InvalidParameterException e = assertThrows(InvalidParameterException.class,
          () -> f.requireExisting(STORE, Set.of(7)));
      assertEquals("partition 7 does not exist: store " + STORE + " has 4 partitions (0 to 3)", e.rule());
    }
  }

  @Test
  void shouldNotJudgePartitionsWhileTheAssignmentMoves() {
    // rebalancing, or running with a gap, and never seen whole: the count is unknown, so the
    // caller's 503 "retry" stands
    cluster.assign(Map.of(SELF, Set.of(0, 1))).state(KafkaStreams.State.REBALANCING);
    fanOut(1).requireExisting(STORE, Set.of(7));
    cluster.assign(Map.of(SELF, Set.of(0), OTHER, Set.of(2))).state(KafkaStreams.State.RUNNING);
    cluster.streamsMetadataForStore(STORE); // the first assignment is used up
    fanOut(1).requireExisting(STORE, Set.of(7));
  }
}
