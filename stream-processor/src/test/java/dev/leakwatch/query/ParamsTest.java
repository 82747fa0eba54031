package dev.leakwatch.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.detect.ProfileKind;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every parameter is checked with an error naming it, its value and the rule. */
class ParamsTest {

  private static final long NOW = Instant.parse("2026-01-31T12:00:00Z").toEpochMilli();

  @ParameterizedTest
  @ValueSource(strings = {"", ".", "..", "a/b", "../etc", "a\\b", " lead", "trail ", "tab\there", "nul\u0000", "\u202Etxt",
      "\uFFFD\uFFFD", "zero\u200Bwidth"})
  void shouldRejectServiceNamesThatCouldPlayPathTricks(String name) {
    InvalidParameterException e = assertThrows(InvalidParameterException.class, () -> Params.service(name));
    assertEquals("service", e.parameter());
    assertEquals(name, e.value());
    assertTrue(e.rule().contains("'/'"), e.rule());
  }

  @Test
  void shouldRejectServiceNamesLongerThanTheSharedRuleAllows() {
    assertThrows(InvalidParameterException.class, () -> Params.service("s".repeat(Params.MAX_NAME_CHARS + 1)));
    assertEquals("s".repeat(Params.MAX_NAME_CHARS), Params.service("s".repeat(Params.MAX_NAME_CHARS)));
  }

  @Test
  void shouldAcceptOrdinaryNamesAndSlashesInInstanceNames() {
    assertEquals("checkout-api.v2_eu", Params.service("checkout-api.v2_eu"));
    assertEquals("pay ments", Params.service("pay ments"));
    assertEquals("node-1/pod-7", Params.instance("node-1/pod-7"));
    assertThrows(InvalidParameterException.class, () -> Params.instance(".."));
  }

  @Test
  void shouldReadTimesAsIsoInstantsEpochMillisAndRelativeToNow() {
    assertEquals(NOW, Params.time("from", "2026-01-31T12:00:00Z", 0));
    assertEquals(NOW, Params.time("from", Long.toString(NOW), 0));
    assertEquals(NOW, Params.time("to", "now", NOW));
    assertEquals(NOW - 15 * 60_000, Params.time("from", "now-15m", NOW));
    assertEquals(NOW - 2 * 86_400_000L, Params.time("from", "now-2d", NOW));
    assertNull(Params.time("from", null, NOW));
  }

  @ParameterizedTest
  @ValueSource(strings = {"yesterday", "2026-01-31", "now-5w", "now+1h", "-5", "12345678901234567", "2026-13-01T00:00:00Z"})
  void shouldRejectTimesItCannotRead(String raw) {
    InvalidParameterException e = assertThrows(InvalidParameterException.class, () -> Params.time("to", raw, NOW));
    assertEquals("to", e.parameter());
    assertTrue(e.getMessage().startsWith("parameter 'to' = '" + raw + "': must be an ISO-8601 instant"),
        e.getMessage());
  }

  @Test
  void shouldBoundLimitsWithTheRuleInTheMessage() {
    assertEquals(20, Params.intIn("limit", null, 20, 1, 1000));
    assertEquals(1000, Params.intIn("limit", "1000", 20, 1, 1000));
    InvalidParameterException e = assertThrows(InvalidParameterException.class,
        () -> Params.intIn("limit", "1001", 20, 1, 1000));
    assertEquals("parameter 'limit' = '1001': must be an integer in [1, 1000]", e.getMessage());
    assertThrows(InvalidParameterException.class, () -> Params.intIn("limit", "0", 20, 1, 1000));
    assertThrows(InvalidParameterException.class, () -> Params.intIn("limit", "ten", 20, 1, 1000));
    assertThrows(InvalidParameterException.class, () -> Params.intIn("limit", "99999999999", 20, 1, 1000));
  }

  @Test
  void shouldNameTheChoicesOfEnumeratedParameters() {
    assertEquals(Metric.ALLOC_OBJECTS, Params.metric("alloc_objects", Metric.INUSE_SPACE));
    assertEquals(Metric.INUSE_SPACE, Params.metric(null, Metric.INUSE_SPACE));
    InvalidParameterException m = assertThrows(InvalidParameterException.class,
        () -> Params.metric("cpu", Metric.INUSE_SPACE));
    assertEquals("must be one of inuse_space, inuse_objects, alloc_space, alloc_objects, goroutines", m.rule());
    assertEquals(Section.GOROUTINE, Params.section("type", "goroutine", Section.HEAP));
    assertThrows(InvalidParameterException.class, () -> Params.section("type", "allocs", Section.HEAP));
    assertEquals(ProfileKind.GOROUTINE_LEAK, Params.seriesKind("goroutineleak", ProfileKind.HEAP));
    assertThrows(InvalidParameterException.class, () -> Params.seriesKind("allocs", ProfileKind.HEAP));
    assertEquals(SuspectFilter.ALL, Params.suspectFilter("all", SuspectFilter.OPEN));
    assertThrows(InvalidParameterException.class, () -> Params.suspectFilter("resolved", SuspectFilter.OPEN));
  }

  @Test
  void shouldReadIdsAsHexOfTheRightLength() {
    assertEquals(0x98731973af4d0e26L, Params.hex64("siteId", "98731973af4d0e26"));
    assertThrows(InvalidParameterException.class, () -> Params.hex64("siteId", "98731973af4d0e2"));
    assertThrows(InvalidParameterException.class, () -> Params.hex64("siteId", "98731973af4d0e2g"));
    assertEquals("47185900a17d9fd304c529506e5025db", Params.suspectId("47185900A17D9FD304C529506E5025DB"));
    assertThrows(InvalidParameterException.class, () -> Params.suspectId("47185900a17d9fd3"));
  }

  @Test
  void shouldReadPartitionListsAndRejectAnythingElse() {
    assertEquals(Set.of(0, 3, 7), Params.partitions("7,0,3"));
    for (String bad : new String[] {"", "1,,2", "-1", "a", "100000", null}) {
      assertThrows(InvalidParameterException.class, () -> Params.partitions(bad), String.valueOf(bad));
    }
  }
}
