package dev.leakwatch.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ServicePatternTest {

  @ParameterizedTest(name = "{0} ~ {1} = {2}")
  @CsvSource(delimiter = '|', value = {
      "orders|orders|true",
      "orders|orders-api|false",
      "orders|Orders|false",
      "orders-*|orders-api|true",
      "orders-*|orders-|true",
      "orders-*|eu-orders-api|false",
      "orders-*|orders|false",
      "*|anything.at.all|true",
      "*-api|orders-api|true",
      "*-api|orders-api-v2|false",
      "*orders*|eu-orders-api|true",
      "*orders*|eu-order-api|false",
      "a*b*c|abc|true",
      "a*b*c|a-b-c|true",
      "a*b*c|a-c-b|false",
      "a*b*c|ab|false",
      // the middle run must not overlap the last one
      "a*bc*bc|abc|false",
      "a*bc*bc|abcbc|true",
      "ab*ab|ab|false",
      "ab*ab|abab|true",
      "**|x|true",
      // a star may stand for nothing, at either end too
      "*a|a|true",
      "a*|a|true",
      "a**b|ab|true",
      // repeated letters: each run needs its own characters
      "a*a*a|aaa|true",
      "a*a*a|aa|false",
      "*b*b|bb|true",
      "*b*b|b|false",
      "*ab*ab|aab|false",
      "*ab*ab|abab|true",
      // characters beyond ASCII compare as themselves
      "ü*|über|true",
      "ü*|uber|false",
  })
  void shouldMatchWholeNamesWithStarsAsAnyRun(String pattern, String service, boolean expected) {
    assertEquals(expected, ServicePattern.of(pattern).matches(service));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " orders", "orders/api", "a\\b", "orders\u202e"})
  void shouldRefuseAPatternNoServiceNameCouldMatch(String pattern) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServicePattern.of(pattern));
    assertTrue(e.getMessage().startsWith("service pattern "), e.getMessage());
  }
}
