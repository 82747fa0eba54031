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
    InstanceDetector d = new InstanceDetector(policy);
    InstanceSeries s = null;
    int reporting = 0;
    int captures = 0;
    for (CorpusScenario.Capture c : G.captures()) {
      if (!c.instance().equals("replica-1") || c.kind() != ProfileKind.HEAP) {
        continue;
      }
      InstanceStep step = d.process(s, new CaptureContext(G.service(), c.instance(), c.kind(), c.timeMs(), null),
          TestCorpora.decode(c.file()));
      s = step.series();
      captures++;
      if (!step.report().findings().isEmpty()) {
        reporting++;
      }
    }
    return new Run(d, s, captures, reporting);
  }

  private record Run(InstanceDetector detector, InstanceSeries series, int captures, int reporting) {
    List<Verdict> latestVerdicts() {
      List<Verdict> out = new ArrayList<>();
      for (TrackedSite t : series.sites()) {
        SiteJudgement j = detector.judgeLatest(G.service(), series, t);
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
}
