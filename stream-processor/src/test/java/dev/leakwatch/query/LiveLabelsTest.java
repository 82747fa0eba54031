package dev.leakwatch.query;

import static dev.leakwatch.query.FakeCluster.OTHER;
import static dev.leakwatch.query.FakeCluster.SELF;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

/**
 * The labels of a page of live instances, gathered from the parts of processor instances that hold
 * the instances' series, including during a rolling upgrade from a release before labels.
 */
class LiveLabelsTest {

  private static final HostInfo NEWER = new HostInfo("c", 3);
  private static final StoreLayout LAYOUT = new StoreLayout("app", FakeCluster.TOPIC);

  private final FakeCluster cluster = new FakeCluster();

  private LiveLabels labels() {
    Retry once = new Retry(1, 0);
    return new LiveLabels(new FanOut(cluster, SELF, cluster, LAYOUT, once), new CatalogQueries(new LocalStores(null)));
  }

  private static CatalogAnswers.LiveService page() {
    return CatalogAnswers.LiveService.of("svc", "2026-11-26T07:11:52.912Z", 1, 0, 2,
        new InstancePage.Cut<>(List.of(live("replica-0"), live("replica-1")), false));
  }

  private static CatalogAnswers.LiveInstance live(String name) {
    return new CatalogAnswers.LiveInstance(name, "2026-11-26T07:11:52.912Z", null, 1000L, null, false);
  }

  private static CatalogAnswers.LabelsPart part(String instance, String version) {
    return new CatalogAnswers.LabelsPart(List.of(new CatalogAnswers.Entry("svc", instance, "heap", 1L,
        new TreeMap<>(Map.of("version", version)), false)));
  }

  @Test
  void shouldGiveEachLiveInstanceTheLabelsOfThePartHoldingItsSeries() {
    cluster.assign(Map.of(OTHER, Set.of(0, 1), NEWER, Set.of(2, 3)))
        .peer(OTHER, path -> FakeCluster.json(200, part("replica-0", "1.4.2")))
        .peer(NEWER, path -> FakeCluster.json(200, part("replica-1", "1.4.1")));

    CatalogAnswers.LiveService out = labels().add("svc", null, page());

    assertEquals(Map.of("version", "1.4.2"), out.instances().get(0).labels());
    assertEquals(Map.of("version", "1.4.1"), out.instances().get(1).labels());
    assertEquals(page().instanceCount(), out.instanceCount());
  }

  @Test
  void shouldAnswerThePageWithoutLabelsWhenAnInstanceOfAnOlderReleaseRefusesThePart() {
    cluster.assign(Map.of(OTHER, Set.of(0, 1), NEWER, Set.of(2, 3)))
        // a release before labels has no such resource
        .peer(OTHER, path -> FakeCluster.json(404, new ErrorBody(404, "not_found", "no such resource", null, null,
            null, null, null)))
        .peer(NEWER, path -> FakeCluster.json(200, part("replica-1", "1.4.1")));

    CatalogAnswers.LiveService out = labels().add("svc", null, page());

    assertEquals(List.of("replica-0", "replica-1"), out.instances().stream().map(CatalogAnswers.LiveInstance::instance)
        .toList());
    assertNull(out.instances().get(0).labels(), "never a partial answer: no labels rather than some");
    assertNull(out.instances().get(1).labels());
  }

  @Test
  void shouldRefuseThePageWhenAPartMayAnswerIfAskedAgain() {
    cluster.assign(Map.of(OTHER, Set.of(0, 1), NEWER, Set.of(2, 3)))
        .peer(OTHER, path -> FakeCluster.json(503, new ErrorBody(503, "unavailable", "restoring", null, null,
            null, List.of(), true)))
        .peer(NEWER, path -> FakeCluster.json(200, part("replica-1", "1.4.1")));

    UnavailableException e = assertThrows(UnavailableException.class, () -> labels().add("svc", null, page()));
    assertTrue(e.retryable(), e.getMessage());
  }
}
