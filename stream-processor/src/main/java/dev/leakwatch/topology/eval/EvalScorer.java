package dev.leakwatch.topology.eval;

import dev.leakwatch.schemas.avro.LeakSuspect;
import dev.leakwatch.schemas.avro.StackFrame;
import dev.leakwatch.schemas.avro.SuspectKind;
import dev.leakwatch.schemas.avro.SuspectStatus;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Scores a scenario's suspect events against its labels. The labels are read only here, after the
 * replay: they never reach the topology.
 */
public final class EvalScorer {

  private EvalScorer() {}

  public static ScenarioScore score(CorpusScenario s, CorpusReplay.Result result) {
    List<ScenarioScore.SuspectRecord> events = result.suspects().stream().map(EvalScorer::record).toList();
    boolean detected = false;
    boolean siteCorrect = false;
    Long firstOpenMs = null;
    Set<String> falsePositives = new HashSet<>();
    for (LeakSuspect e : result.suspects()) {
      boolean blamesWatched = s.watchFunctions().contains(e.getSite().getFunction());
      if (!s.leak() || blamesWatched) {
        falsePositives.add(e.getSuspectId());
      }
      if (s.leak() && e.getStatus() == SuspectStatus.OPEN && kindMatches(s.leakKind(), e.getKind())) {
        detected = true;
        siteCorrect |= blamesLeakSite(s, e);
        if (firstOpenMs == null) {
          firstOpenMs = e.getDetectedAt().toEpochMilli();
        }
      }
    }
    Double delay = firstOpenMs == null || s.earliestLeakStartMs().isEmpty() ? null
        : (firstOpenMs - s.earliestLeakStartMs().getAsLong()) / 1000.0;
    return new ScenarioScore(s.id(), s.service(), s.leak(), s.leakKind(), result.profiles(),
        result.deadLetters(), detected, siteCorrect, delay, falsePositives.size(), events);
  }

  static boolean kindMatches(String leakKind, SuspectKind kind) {
    return switch (leakKind) {
      case "heap" -> kind == SuspectKind.HEAP;
      case "goroutine" -> kind == SuspectKind.GOROUTINE;
      case "both" -> kind == SuspectKind.HEAP || kind == SuspectKind.GOROUTINE;
      default -> false;
    };
  }

  static boolean blamesLeakSite(CorpusScenario s, LeakSuspect e) {
    if (s.leakSiteFunctions().contains(e.getSite().getFunction())) {
      return true;
    }
    return e.getStack().stream().map(StackFrame::getFunction).anyMatch(s.leakSiteFunctions()::contains);
  }

  private static ScenarioScore.SuspectRecord record(LeakSuspect e) {
    return new ScenarioScore.SuspectRecord(e.getSuspectId(), e.getStatus().name(), e.getKind().name(),
        e.getSite().getFunction(), e.getSite().getFile(), e.getSite().getLine(),
        e.getStack().stream().map(StackFrame::getFunction).toList(), List.copyOf(e.getInstances()),
        e.getDetectedAt().toEpochMilli(), List.copyOf(e.getRelatedSuspects()));
  }
}
