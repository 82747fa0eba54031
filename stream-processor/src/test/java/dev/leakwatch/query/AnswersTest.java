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
