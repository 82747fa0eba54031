package dev.leakwatch.naming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {

  @ParameterizedTest
  @ValueSource(strings = {"checkout", "checkout-api.v2_eu", "pay ments", "Zahlungsdienst-ü", "订单", "s", "a..b",
      ".hidden", "10.0.0.7:6060", "[::1]:6060", "😀-service"})
  void shouldAcceptOrdinaryServiceNames(String name) {
    assertEquals(Optional.empty(), Names.problem(Names.Kind.SERVICE, name));
    assertEquals(name, Names.require(Names.Kind.SERVICE, name));
  }

  @Test
  void shouldAllowSlashInInstanceButNotInService() {
    assertEquals(Optional.empty(), Names.problem(Names.Kind.INSTANCE, "node-1/pod-7"));
    assertEquals(Optional.of("must not contain '/' at index 6"), Names.problem(Names.Kind.SERVICE, "node-1/pod-7"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "empty | '' | is required",
      "blank | '   ' | is required",
      "dot | . | must not be '.'",
      "dot-dot | .. | must not be '..'",
      "backslash | a\\b | must not contain '\\' at index 1",
      "leading blank | ' s' | must not start or end with whitespace",
      "trailing blank | 's ' | must not start or end with whitespace",
  })
  void shouldNameWhatIsWrongWithABadName(String what, String name, String problem) {
    assertEquals(Optional.of(problem), Names.problem(Names.Kind.INSTANCE, name), what);
  }

  @Test
  void shouldRefuseInvisibleAndUndecodableCharactersNamingThem() {
    assertEquals(Optional.of("contains control characters (U+0000) at index 1"),
        Names.problem(Names.Kind.SERVICE, "a\u0000b"));
    assertEquals(Optional.of("contains control characters (U+0085) at index 0"),
        Names.problem(Names.Kind.SERVICE, "\u0085x"));
    assertEquals(Optional.of("contains the format character U+202E (bidi or invisible) at index 0"),
        Names.problem(Names.Kind.SERVICE, "\u202Etxt.exe"));
    assertEquals(Optional.of("contains the format character U+200B (bidi or invisible) at index 1"),
        Names.problem(Names.Kind.SERVICE, "a\u200Bb"));
    assertEquals(Optional.of("contains U+FFFD, the mark of bytes that were not valid UTF-8, at index 0"),
        Names.problem(Names.Kind.SERVICE, "\uFFFD\uFFFD"));
    assertEquals(Optional.of("contains the separator U+2028 at index 1"), Names.problem(Names.Kind.SERVICE, "a\u2028"));
    assertEquals(Optional.of("contains the unpaired surrogate U+D800 at index 1"),
        Names.problem(Names.Kind.SERVICE, "a\uD800b"));
    assertEquals(Optional.of("must not start or end with whitespace"), Names.problem(Names.Kind.SERVICE, "\u00A0s"));
  }

  @Test
  void shouldCountLengthInCodePointsUpTo255() {
    assertEquals(Optional.empty(), Names.problem(Names.Kind.SERVICE, "s".repeat(255)));
    assertEquals(Optional.of("is longer than 255 characters (256)"), Names.problem(Names.Kind.SERVICE, "s".repeat(256)));
    // 255 emoji are 510 UTF-16 chars but 255 characters
    assertEquals(Optional.empty(), Names.problem(Names.Kind.SERVICE, "😀".repeat(255)));
  }

  @Test
  void shouldThrowWithKindQuotedNameAndProblem() {
    InvalidNameException e = assertThrows(InvalidNameException.class, () -> Names.require(Names.Kind.SERVICE, ".."));
    assertEquals("service '..' must not be '..'", e.getMessage());
    assertEquals(Names.Kind.SERVICE, e.kind());
    InvalidNameException missing = assertThrows(InvalidNameException.class,
        () -> Names.require(Names.Kind.INSTANCE, null));
    assertEquals("instance is required", missing.getMessage());
  }

  @Test
  void shouldQuoteBadNamesSafelyAndShortly() {
    assertEquals("'a\\u000D\\u000Ab'", Names.quote("a\r\nb"));
    assertEquals("'\\u202Etxt'", Names.quote("\u202Etxt"));
    String quoted = Names.quote("x".repeat(5000));
    assertEquals("'" + "x".repeat(64) + "'...", quoted);
  }

  @Test
  void shouldStateTheRuleForEachKind() {
    assertTrue(Names.rule(Names.Kind.SERVICE).contains("'/'"));
    assertTrue(!Names.rule(Names.Kind.INSTANCE).contains("'/'"));
    assertTrue(Names.rule(Names.Kind.SERVICE).contains("1 to 255 characters"));
  }
}
