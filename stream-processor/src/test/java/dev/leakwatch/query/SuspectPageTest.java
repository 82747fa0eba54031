package dev.leakwatch.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The fleet-wide suspect listing's pages: which suspects lie after a cursor, how instances' parts
 * merge into one exact page, and how {@code after} is read.
 */
class SuspectPageTest {

  private static final String ID_1 = "1".repeat(32);
  private static final String ID_2 = "2".repeat(32);
  private static final String ID_3 = "3".repeat(32);

  private static SuspectAnswers.Suspect suspect(String service, String id) {
    return new SuspectAnswers.Suspect(id, service, "HEAP", "open", null, null, "heap", null, List.of(), null,
        List.of(), null, null, null, null, null, null, null, null, null, null, List.of(), null, null, List.of());
  }

  private static SuspectAnswers.Part part(boolean more, SuspectAnswers.Suspect... suspects) {
    return new SuspectAnswers.Part(Arrays.asList(suspects), List.of(), more);
  }

  private static List<String> keys(SuspectAnswers.Listing l) {
    return l.suspects().stream().map(SuspectPage::cursor).toList();
  }

  @Test
  void shouldMergePartsInServiceThenIdOrderAndCutToThePageWithTheLastAsNext() {
    SuspectAnswers.Listing l = SuspectQueries.merge("all", List.of(
        part(false, suspect("b", ID_1), suspect("a-b", ID_3)),
        part(false, suspect("a", ID_2), suspect("a", ID_1))), SuspectPage.first(3));
    assertEquals(List.of("a/" + ID_1, "a/" + ID_2, "a-b/" + ID_3), keys(l));
    assertEquals(3, l.count());
    assertTrue(l.truncated());
    assertEquals("a-b/" + ID_3, l.next());
  }

  @Test
  void shouldSayMoreFollowWhenAPartLeftSomeOutEvenIfTheMergedPageIsJustFull() {
    SuspectAnswers.Listing l = SuspectQueries.merge("open", List.of(
        part(true, suspect("a", ID_1), suspect("b", ID_1)), part(false)), SuspectPage.first(2));
    assertEquals(2, l.count());
    assertTrue(l.truncated());
    assertEquals("b/" + ID_1, l.next());
  }

  @Test
  void shouldEndTheListingWhenNoPartHasMore() {
    SuspectAnswers.Listing l = SuspectQueries.merge("open", List.of(
        part(false, suspect("a", ID_1)), part(false, suspect("b", ID_1))), SuspectPage.first(2));
    assertEquals(2, l.count());
    assertFalse(l.truncated());
    assertNull(l.next());
    SuspectAnswers.Listing none = SuspectQueries.merge("open", List.of(part(false)), SuspectPage.first(5));
    assertEquals(0, none.count());
    assertFalse(none.truncated());
  }

  @ParameterizedTest(name = "after a/{1}: {0} {2} admitted = {3}")
  @CsvSource({
      "a, 2, 1, false",
      "a, 2, 2, false",
      "a, 2, 3, true",
      "a-b, 2, 1, true",
      "A, 2, 3, false",
      "b, 2, 1, true"})
  void shouldAdmitOnlySuspectsAfterTheCursor(String service, char after, char id, boolean admitted) {
    SuspectPage page = new SuspectPage("a", String.valueOf(after).repeat(32), 10);
    assertEquals(admitted, page.admits(service, String.valueOf(id).repeat(32)));
  }

  @Test
  void shouldReadTheNextOfAPageBackAsItsCursorAndRefuseOthers() {
    SuspectPage p = Params.suspectPage("orders/" + ID_2.toUpperCase(), "7");
    assertEquals(new SuspectPage("orders", ID_2, 7), p);
    assertEquals(SuspectPage.first(SuspectPage.DEFAULT_LIMIT), Params.suspectPage(null, null));
    // an instance name may hold '/', a service name may not: the first '/' ends the service
    InvalidParameterException e = assertThrows(InvalidParameterException.class,
        () -> Params.suspectPage("orders/x/" + ID_1, null));
    assertTrue(e.getMessage().contains("after"), e.getMessage());
    assertThrows(InvalidParameterException.class, () -> Params.suspectPage("/" + ID_1, null));
    assertThrows(InvalidParameterException.class, () -> Params.suspectPage("orders/" + ID_1, "0"));
  }
}
