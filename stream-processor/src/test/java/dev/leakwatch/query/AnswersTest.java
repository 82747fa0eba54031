package dev.leakwatch.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Merging the parts of a fan-out, and reading another instance's errors back as the same failures. */
class AnswersTest {

  private static CatalogAnswers.Entry e(String s, String i, String type, long t) {
    return new CatalogAnswers.Entry(s, i, type, t, java.util.Collections.emptySortedMap(), false);
  }

  /** The part an instance holding {@code entries} answers for {@code instances}, as {@link CatalogQueries#part} builds it. */
  private static CatalogAnswers.Part part(boolean more, InstancePage instances, CatalogAnswers.Entry... entries) {
    TreeMap<String, ServiceTally> tallies = new TreeMap<>();
    for (CatalogAnswers.Entry x : entries) {
      tallies.computeIfAbsent(x.service(), k -> new ServiceTally(k, instances)).add(x);
    }
    List<CatalogAnswers.Entry> out = new ArrayList<>();
    tallies.values().forEach(t -> t.entriesTo(out));
    return new CatalogAnswers.Part(out, more, tallies.values().stream().map(ServiceTally::summary).toList());
  }

  private static CatalogAnswers.Part part(boolean more, CatalogAnswers.Entry... entries) {
    return part(more, InstancePage.all(), entries);
  }

  private static CatalogAnswers.Services merge(List<CatalogAnswers.Part> parts) {
    return CatalogQueries.merge(parts, new ServicePage(null, ServicePage.MAX_LIMIT), InstancePage.all());
  }

  private static List<String> names(CatalogAnswers.Service s) {
    return s.instances().stream().map(CatalogAnswers.Instance::instance).toList();
  }

  @Test
  void shouldMergeInstanceSeriesOfAllPartsIntoServicesWithTypesAndLatestCaptures() {
    CatalogAnswers.Services s = merge(List.of(
        part(false, e("orders", "o-1", "heap", 5_000), e("orders", "o-1", "goroutine", 6_000)),
        part(false, e("orders", "o-2", "allocs", 9_000), e("billing", "b-1", "heap", 1_000)),
        part(false)));
    assertEquals(2, s.count());
    CatalogAnswers.Service billing = s.services().get(0);
    CatalogAnswers.Service orders = s.services().get(1);
    assertEquals("billing", billing.service());
    assertEquals(List.of("allocs", "goroutine", "heap"), orders.profileTypes());
    assertEquals(9_000, orders.lastCaptureMs());
    assertEquals("1970-01-01T00:00:09Z", orders.lastCapture());
    assertEquals(List.of("o-1", "o-2"), orders.instances().stream().map(CatalogAnswers.Instance::instance).toList());
    assertEquals(List.of("goroutine", "heap"), orders.instances().get(0).profileTypes());
    assertEquals(6_000, orders.instances().get(0).lastCaptureMs());
  }

  @Test
  void shouldCutAPageAtItsLimitAndSayWhatFollowsWhenThePartsHoldMoreServices() {
    CatalogAnswers.Part first = part(false, e("a", "a-1", "heap", 1), e("c", "c-1", "heap", 1));
    CatalogAnswers.Part second = part(false, e("a", "a-2", "heap", 1), e("b", "b-1", "heap", 1));
    CatalogAnswers.Services page = CatalogQueries.merge(List.of(first, second), new ServicePage(null, 2),
        InstancePage.all());
    assertEquals(List.of("a", "b"), page.services().stream().map(CatalogAnswers.Service::service).toList());
    assertEquals(2, page.services().get(0).instances().size(), "every instance of a listed service");
    assertEquals(true, page.truncated());
    assertEquals("b", page.next());

    CatalogAnswers.Part holdsMore = part(true, e("d", "d-1", "heap", 1));
    CatalogAnswers.Services last = CatalogQueries.merge(List.of(holdsMore), new ServicePage("c", 2), InstancePage.all());
    assertEquals(1, last.count());
    assertEquals(true, last.truncated(), "a part that kept only a page holds more");
    assertEquals("d", last.next());

    CatalogAnswers.Services all = CatalogQueries.merge(List.of(first, second), new ServicePage(null, 3),
        InstancePage.all());
    assertEquals(false, all.truncated());
    assertEquals(null, all.next());
  }

  /** Service s's instances spread over two processors' partitions, as keys service/instance spread them. */
  private static final CatalogAnswers.Entry[] ONE_PROCESSOR = {e("s", "s-a", "heap", 10), e("s", "s-c", "heap", 30),
      e("s", "s-e", "goroutine", 99), e("s", "s-e", "heap", 50)};
  private static final CatalogAnswers.Entry[] OTHER_PROCESSOR = {e("s", "s-d", "heap", 40), e("s", "s-b", "heap", 20)};

  private static CatalogAnswers.Service merged(InstancePage instances) {
    return CatalogQueries.merge(List.of(part(false, instances, ONE_PROCESSOR), part(false, instances, OTHER_PROCESSOR)),
        new ServicePage(null, ServicePage.MAX_LIMIT), instances).services().get(0);
  }

  @Test
  void shouldListTheFirstInstancesByNameAcrossPartsAndCountEveryInstanceWhenCapped() {
    CatalogAnswers.Part sent = part(false, InstancePage.first(2), ONE_PROCESSOR);
    assertEquals(List.of("s-a", "s-c"), sent.entries().stream().map(CatalogAnswers.Entry::instance).toList(),
        "a part sends at most the cap per service");
    CatalogAnswers.Service s = merged(InstancePage.first(2));
    assertEquals(List.of("s-a", "s-b"), names(s), "merged by name, then cut");
    assertEquals(5, s.instanceCount());
    assertEquals(true, s.instancesTruncated());
    assertEquals(List.of("goroutine", "heap"), s.profileTypes(), "the service's types include left-out instances'");
    assertEquals(99, s.lastCaptureMs(), "and their captures");

    CatalogAnswers.Service all = merged(InstancePage.first(5));
    assertEquals(List.of("s-a", "s-b", "s-c", "s-d", "s-e"), names(all));
    assertEquals(false, all.instancesTruncated());
  }

  @Test
  void shouldCountWithoutListingWhenZeroInstancesAreAskedFor() {
    CatalogAnswers.Service s = merged(InstancePage.first(0));
    assertEquals(List.of(), s.instances());
    assertEquals(5, s.instanceCount());
    assertEquals(true, s.instancesTruncated());
  }

  @Test
  void shouldPageInstancesAfterAnInstanceNameUntilNoneFollow() {
    CatalogAnswers.ServiceInstances second = CatalogAnswers.ServiceInstances.of(merged(new InstancePage("s-b", 2)), null);
    assertEquals(List.of("s-c", "s-d"), second.instances().stream().map(CatalogAnswers.Instance::instance).toList());
    assertEquals(true, second.truncated());
    assertEquals("s-d", second.next());
    assertEquals(5, second.instanceCount());
    CatalogAnswers.ServiceInstances last = CatalogAnswers.ServiceInstances.of(merged(new InstancePage("s-d", 2)), null);
    assertEquals(List.of("s-e"), last.instances().stream().map(CatalogAnswers.Instance::instance).toList());
    assertEquals(false, last.truncated());
    assertEquals(null, last.next());
  }

  @Test
  void shouldReadEachKindOfPeerErrorBackAsTheSameException() {
    for (QueryException original : List.of(new InvalidParameterException("limit", "0", "must be positive"),
        new NotFoundException("no such service"),
        new UnavailableException("moving", true, List.of("partition 1 of s: NOT_ACTIVE")))) {
      PeerResponse r = new PeerResponse(ErrorBody.of(original).status(), "application/json",
          JsonCodec.write(ErrorBody.of(original)));
      QueryException back = ErrorBody.toException(r, "b:2");
      assertInstanceOf(original.getClass(), back);
      assertEquals(ErrorBody.of(original).details(), ErrorBody.of(back).details());
    }
    QueryException internal = ErrorBody.toException(new PeerResponse(500, "text/plain", new byte[0]), "b:2");
    assertEquals("b:2 answered 500: status 500", internal.getMessage());
  }
}
