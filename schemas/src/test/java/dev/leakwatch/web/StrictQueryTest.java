package dev.leakwatch.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StrictQueryTest {

  @Test
  void shouldDecodeParametersInOrderWithRepeats() {
    assertEquals(Map.of("service", List.of("a/b"), "label.x", List.of("1 2", "3"), "flag", List.of("")),
        StrictQuery.parse("service=a%2Fb&label.x=1+2&&label.x=3&flag"));
    assertEquals(List.of("service", "type"), List.copyOf(StrictQuery.parse("service=s&type=heap").keySet()));
    assertEquals(Map.of("s", List.of("订单")), StrictQuery.parse("s=%E8%AE%A2%E5%8D%95"));
    assertEquals(Map.of(), StrictQuery.parse(null));
    assertEquals(Map.of(), StrictQuery.parse(""));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "not hex | service=%zz | parameter 'service': bad percent-escape '%zz' at index 0 (expected % and two hex digits)",
      "cut short | service=ab%4 | parameter 'service': bad percent-escape '%4' at index 2 (expected % and two hex digits)",
      "lone percent | service=% | parameter 'service': bad percent-escape '%' at index 0 (expected % and two hex digits)",
      "overlong UTF-8 | service=%C0%AF | parameter 'service': percent-escapes in '%C0%AF' do not decode to valid UTF-8",
      "lone continuation byte | instance=a%80 | parameter 'instance': percent-escapes in 'a%80' do not decode to valid UTF-8",
      "bad name | %zz=1 | a parameter name: bad percent-escape '%zz' at index 0 (expected % and two hex digits)",
  })
  void shouldNameTheParameterAndTheUndecodablePart(String what, String raw, String message) {
    MalformedQueryException e = assertThrows(MalformedQueryException.class, () -> StrictQuery.parse(raw), what);
    assertEquals(message, e.getMessage());
  }

  @Test
  void shouldKeepTheMalformedPartAsReceived() {
    assertEquals("ab%4", assertThrows(MalformedQueryException.class, () -> StrictQuery.parse("x=1&service=ab%4")).raw());
    assertEquals("%zz", assertThrows(MalformedQueryException.class, () -> StrictQuery.parse("%zz=1")).raw());
  }
}
