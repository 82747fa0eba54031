package dev.leakwatch.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DetectionPolicyTest {
  private final DetectionConfig base = DetectionConfig.defaults();

  private static DetectionPolicy.Rule rule(DetectionConfig c, boolean judged, String... patterns) {
    return new DetectionPolicy.Rule(List.of(patterns).stream().map(ServicePattern::of).toList(), c, judged);
  }

  @Test
  void shouldJudgeAServiceByTheFirstRuleThatCoversIt() {
    DetectionConfig slowWarmup = base.toBuilder().warmup(Duration.ofMinutes(30)).build();
    DetectionConfig strict = base.toBuilder().minTrendZ(5).build();
    DetectionPolicy p = new DetectionPolicy(base, List.of(
        rule(slowWarmup, true, "orders-*", "billing"),
        rule(strict, true, "orders-api", "*")));

    assertSame(slowWarmup, p.configFor("orders-api"), "first rule wins although the second names it exactly");
    assertSame(slowWarmup, p.configFor("billing"));
    assertSame(strict, p.configFor("checkout"));
    assertTrue(p.judges("checkout"));
  }

  @Test
  void shouldJudgeServicesNoRuleCoversByTheBase() {
    DetectionPolicy p = new DetectionPolicy(base, List.of(
        rule(base.toBuilder().warmup(Duration.ofMinutes(30)).build(), false, "legacy-*")));

    assertNull(p.ruleFor("orders"));
    assertSame(base, p.configFor("orders"));
    assertTrue(p.judges("orders"));
    assertFalse(p.judges("legacy-billing"));
  }

  @Test
  void shouldRefuseARuleThatChangesWhatIsTheSameForEveryService() {
    DetectionConfig longer = base.toBuilder().resolveAfter(Duration.ofHours(2)).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new DetectionPolicy(base, List.of(rule(base, true, "a"), rule(longer, true, "b"))));
    assertTrue(e.getMessage().startsWith("rule 1: resolveAfter is the same for every service"), e.getMessage());

    DetectionConfig wider = base.toBuilder().windowCaptures(96).build();
    e = assertThrows(IllegalArgumentException.class,
        () -> new DetectionPolicy(base, List.of(rule(wider, true, "a"))));
    assertTrue(e.getMessage().startsWith("rule 0: windowCaptures "), e.getMessage());
  }

  /**
   * A rule covers a service when any of its patterns matches, so the order of its patterns and a pattern
   * given twice change nothing: two instances whose files differ only there judge alike and must show one
   * digest (else LeakwatchDetectionRulesDiffer fires). The order of the rules does matter (the first match
   * wins), and so does the digest.
   */
  @Test
  void shouldGiveOneDigestWhateverOrderARuleListsItsPatternsIn() {
    DetectionConfig quiet = base.toBuilder().warmup(Duration.ofMinutes(30)).build();
    DetectionPolicy listed = new DetectionPolicy(base, List.of(rule(quiet, true, "orders-*", "billing")));
    DetectionPolicy reordered = new DetectionPolicy(base, List.of(rule(quiet, true, "billing", "orders-*")));
    DetectionPolicy repeated = new DetectionPolicy(base,
        List.of(rule(quiet, true, "billing", "orders-*", "billing")));

    assertEquals(listed.digest(), reordered.digest());
    assertEquals(listed.digest(), repeated.digest());
    DetectionPolicy a = new DetectionPolicy(base, List.of(rule(quiet, true, "orders-*"), rule(base, false, "*-api")));
    DetectionPolicy b = new DetectionPolicy(base, List.of(rule(base, false, "*-api"), rule(quiet, true, "orders-*")));
    assertNotEquals(a.digest(), b.digest(), "orders-api is judged by the first rule that covers it");
  }

  @Test
  void shouldRefuseARuleWithoutPatterns() {
    assertThrows(IllegalArgumentException.class, () -> new DetectionPolicy.Rule(List.of(), base, true));
  }

  @Test
  void shouldNameEveryPerServiceFieldAfterARealConfigurationField() {
    List<String> fields = java.util.Arrays.stream(DetectionConfig.class.getRecordComponents())
        .map(java.lang.reflect.RecordComponent::getName).toList();
    assertTrue(fields.containsAll(DetectionPolicy.PER_SERVICE_FIELDS), DetectionPolicy.PER_SERVICE_FIELDS.toString());
    assertEquals(fields.size() - 7, DetectionPolicy.PER_SERVICE_FIELDS.size(),
        "every field is either per service or one of the seven global ones");
  }
}
