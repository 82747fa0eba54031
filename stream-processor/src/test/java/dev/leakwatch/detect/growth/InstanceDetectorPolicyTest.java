package dev.leakwatch.detect.growth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.detect.DetectionConfig;
import dev.leakwatch.detect.DetectionPolicy;
import dev.leakwatch.detect.ProfileKind;
import dev.leakwatch.detect.ServicePattern;
import dev.leakwatch.detect.TestCorpora;
import dev.leakwatch.detect.eval.CorpusScenario;
import dev.leakwatch.detect.series.InstanceSeries;
import dev.leakwatch.detect.series.TrackedSite;
import dev.leakwatch.detect.site.SiteExtractor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Per-service rules, on the recorded heap leak (testdata/corpus G, replica-1: smooth growth). */
class InstanceDetectorPolicyTest {
  private static final CorpusScenario G = TestCorpora.fixture("G_session-store");
  /** A floor no recorded site reaches: nothing is judged growing under it. */
  private static final DetectionConfig BLIND = DetectionConfig.defaults().toBuilder()
      .heapMinBytesPerHour(1e15).build();

  private static DetectionPolicy.Rule rule(DetectionConfig c, boolean judged, String pattern) {
    return new DetectionPolicy.Rule(List.of(ServicePattern.of(pattern)), c, judged);
  }

  /** Runs replica-1's heap captures; returns the series and the number of captures that reported growth. */
  private static Run run(DetectionPolicy policy) {
    return run(policy, G, "replica-1", ProfileKind.HEAP, ProfileKind.HEAP);
  }

  /**
   * Runs {@code instance}'s captures of kind {@code recorded} of {@code scenario} as profiles of kind
   * {@code as} (a recorded goroutine profile stands for a goroutineleak one: same format).
   */
  private static Run run(DetectionPolicy policy, CorpusScenario scenario, String instance, ProfileKind recorded,
      ProfileKind as) {
    InstanceDetector d = new InstanceDetector(policy);
    InstanceSeries s = null;
    int reporting = 0;
    int captures = 0;
    List<GrowthFinding> findings = new ArrayList<>();
    for (CorpusScenario.Capture c : scenario.captures()) {
      if (!c.instance().equals(instance) || c.kind() != recorded) {
        continue;
      }
      InstanceStep step = d.process(s, new CaptureContext(scenario.service(), c.instance(), as, c.timeMs(), null),
          SiteExtractor.extract(TestCorpora.decode(c.file()), as, c.timeMs()));
      s = step.series();
      captures++;
      findings.addAll(step.report().findings());
      if (!step.report().findings().isEmpty()) {
        reporting++;
      }
    }
    return new Run(d, scenario.service(), s, captures, reporting, findings);
  }

  private record Run(InstanceDetector detector, String service, InstanceSeries series, int captures, int reporting,
      List<GrowthFinding> findings) {
    List<Verdict> latestVerdicts() {
      List<Verdict> out = new ArrayList<>();
      for (TrackedSite t : series.sites()) {
        SiteJudgement j = detector.judgeLatest(service, series, t);
        if (j != null) {
          out.add(j.verdict());
        }
      }
      return out;
    }
  }

  @Test
  void shouldJudgeAServiceByItsRuleRatherThanTheBase() {
    assertEquals(0, run(DetectionPolicy.of(BLIND)).reporting(), "the base alone is blind to the leak");

    Run covered = run(new DetectionPolicy(BLIND, List.of(
        rule(BLIND.toBuilder().heapMinBytesPerHour(DetectionConfig.defaults().heapMinBytesPerHour()).build(),
            true, "session-*"))));
    assertTrue(covered.reporting() > 0, "the rule's floor lets the leak through");
    assertTrue(covered.latestVerdicts().contains(Verdict.GROWING), covered.latestVerdicts().toString());
  }

  @Test
  void shouldLeaveOtherServicesToTheBase() {
    Run other = run(new DetectionPolicy(DetectionConfig.defaults(), List.of(rule(BLIND, true, "orders-*"))));
    assertTrue(other.reporting() > 0, "a rule for other services changes nothing here");
  }

  @Test
  void shouldKeepTheSeriesButReportNothingForAServiceLeftUnjudged() {
    Run judged = run(DetectionPolicy.of(DetectionConfig.defaults()));
    Run unjudged = run(new DetectionPolicy(DetectionConfig.defaults(),
        List.of(rule(DetectionConfig.defaults(), false, "session-store"))));

    assertTrue(judged.reporting() > 0, "the leak is reported when judged");
    assertEquals(0, unjudged.reporting());
    assertEquals(judged.series().size(), unjudged.series().size(), "every capture still enters the series");
    assertEquals(judged.series().sites().size(), unjudged.series().sites().size());
    List<Verdict> verdicts = unjudged.latestVerdicts();
    assertFalse(verdicts.contains(Verdict.GROWING), verdicts.toString());
    assertEquals(judged.latestVerdicts().stream().filter(v -> v == Verdict.GROWING).count(),
        verdicts.stream().filter(v -> v == Verdict.NOT_JUDGED).count(),
        "what would grow reads NOT_JUDGED: " + judged.latestVerdicts() + " vs " + verdicts);
  }

  /** replica-1's recorded goroutine profiles of the goroutine leak (testdata/corpus H), read as {@code as}. */
  private static Run pushWorker(ProfileKind as, boolean judged) {
    DetectionConfig d = DetectionConfig.defaults();
    return run(new DetectionPolicy(d, List.of(rule(d, judged, "push-*"))), TestCorpora.fixture("H_push-worker"),
        "replica-1", ProfileKind.GOROUTINE, as);
  }

  @Test
  void shouldReportNoGoroutineGrowthOfAServiceLeftUnjudged() {
    Run judged = pushWorker(ProfileKind.GOROUTINE, true);
    Run unjudged = pushWorker(ProfileKind.GOROUTINE, false);

    assertTrue(judged.reporting() > 0, "the goroutine leak is reported when judged");
    assertEquals(0, unjudged.reporting());
    assertTrue(unjudged.latestVerdicts().contains(Verdict.NOT_JUDGED), unjudged.latestVerdicts().toString());
    assertFalse(unjudged.latestVerdicts().contains(Verdict.GROWING), unjudged.latestVerdicts().toString());
  }

  @Test
  void shouldReportNoGoroutineLeakProfileOfAServiceLeftUnjudged() {
    Run judged = pushWorker(ProfileKind.GOROUTINE_LEAK, true);
    Run unjudged = pushWorker(ProfileKind.GOROUTINE_LEAK, false);

    assertEquals(judged.captures(), judged.reporting(), "every goroutineleak capture reports its goroutines");
    assertEquals(0, unjudged.reporting());
    assertEquals(judged.series().size(), unjudged.series().size());
    List<Verdict> verdicts = unjudged.latestVerdicts();
    assertFalse(verdicts.isEmpty());
    assertTrue(verdicts.stream().allMatch(v -> v == Verdict.NOT_JUDGED), verdicts.toString());
  }

  @Test
  void shouldAppendCapturesByTheRulesMaxGap() {
    // the recorded captures are 1 s apart: a base maxGap below that starts a new series at every capture
    DetectionConfig base = DetectionConfig.defaults().toBuilder().maxGap(java.time.Duration.ofMillis(500)).build();
    Run baseOnly = run(DetectionPolicy.of(base));
    Run covered = run(new DetectionPolicy(base, List.of(rule(DetectionConfig.defaults(), true, "session-store"))));

    assertEquals(1, baseOnly.series().size(), "every capture began a new series under the base");
    assertEquals(Math.min(covered.captures(), base.windowCaptures()), covered.series().size(),
        "the rule's maxGap bridges the captures");
  }

  @Test
  void shouldGiveFindingsTheConfidenceOfTheRulesMinTrendZ() {
    DetectionConfig strict = DetectionConfig.defaults().toBuilder().minTrendZ(50).build();
    DetectionConfig mine = DetectionConfig.defaults().toBuilder().minTrendZ(2).build();
    Run covered = run(new DetectionPolicy(strict, List.of(rule(mine, true, "session-store"))));

    assertFalse(covered.findings().isEmpty(), "the rule's threshold lets the leak through");
    for (GrowthFinding f : covered.findings()) {
      assertEquals(InstanceDetector.confidence(mine, f.zScore()), f.confidence(), 1e-12);
      assertTrue(f.confidence() > 0.5, "above the rule's threshold, not clamped at the base's: " + f);
    }
  }
}
