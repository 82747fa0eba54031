package dev.leakwatch.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Merging the parts of a fan-out, and reading another instance's errors back as the same failures. */
class AnswersTest {

  private static CatalogAnswers.Entry e(String s, String i, String type, long t) {
    return new CatalogAnswers.Entry(s, i, type, t);
  }

  @Test
  void shouldMergeInstanceSeriesOfAllPartsIntoServicesWithTypesAndLatestCaptures() {
    CatalogAnswers.Services s = CatalogQueries.merge(List.of(
        new CatalogAnswers.Part(List.of(e("orders", "o-1", "heap", 5_000), e("orders", "o-1", "goroutine", 6_000))),
        new CatalogAnswers.Part(List.of(e("orders", "o-2", "allocs", 9_000), e("billing", "b-1", "heap", 1_000))),
        new CatalogAnswers.Part(List.of())));
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
    CatalogAnswers.Part first = new CatalogAnswers.Part(List.of(e("a", "a-1", "heap", 1), e("c", "c-1", "heap", 1)),
        false);
    CatalogAnswers.Part second = new CatalogAnswers.Part(List.of(e("a", "a-2", "heap", 1), e("b", "b-1", "heap", 1)),
        false);
    CatalogAnswers.Services page = CatalogQueries.merge(List.of(first, second), new ServicePage(null, 2));
    assertEquals(List.of("a", "b"), page.services().stream().map(CatalogAnswers.Service::service).toList());
    assertEquals(2, page.services().get(0).instances().size(), "every instance of a listed service");
    assertEquals(true, page.truncated());
    assertEquals("b", page.next());

    CatalogAnswers.Part holdsMore = new CatalogAnswers.Part(List.of(e("d", "d-1", "heap", 1)), true);
    CatalogAnswers.Services last = CatalogQueries.merge(List.of(holdsMore), new ServicePage("c", 2));
    assertEquals(1, last.count());
    assertEquals(true, last.truncated(), "a part that kept only a page holds more");
    assertEquals("d", last.next());

    CatalogAnswers.Services all = CatalogQueries.merge(List.of(first, second), new ServicePage(null, 3));
    assertEquals(false, all.truncated());
    assertEquals(null, all.next());
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
