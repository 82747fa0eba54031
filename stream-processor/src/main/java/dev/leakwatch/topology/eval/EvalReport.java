package dev.leakwatch.topology.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The totals of an evaluation, its per-scenario table, the summary line and the JSON document.
 *
 * @param scenarios per-scenario scores, in corpus order
 */
public record EvalReport(List<ScenarioScore> scenarios) {

  public EvalReport {
    scenarios = List.copyOf(scenarios);
  }

  public int leaks() {
    return (int) scenarios.stream().filter(ScenarioScore::leak).count();
  }

  public int detected() {
    return (int) scenarios.stream().filter(s -> s.leak() && s.detected()).count();
  }

  public int siteCorrect() {
    return (int) scenarios.stream().filter(s -> s.leak() && s.siteCorrect()).count();
  }

  public int falsePositives() {
    return scenarios.stream().mapToInt(ScenarioScore::falsePositives).sum();
  }

  /** Median detection delay in seconds over the scenarios that have one; NaN when none. */
  public double medianDelaySeconds() {
    double[] d = scenarios.stream().filter(s -> s.delaySeconds() != null)
        .mapToDouble(ScenarioScore::delaySeconds).sorted().toArray();
    if (d.length == 0) {
      return Double.NaN;
    }
    return d.length % 2 == 1 ? d[d.length / 2] : (d[d.length / 2 - 1] + d[d.length / 2]) / 2;
  }

  /** {@code eval: scenarios=N leaks=L detected=D site_correct=S false_positives=F median_delay_s=X}. */
  public String summaryLine() {
    double median = medianDelaySeconds();
    return String.format(Locale.ROOT, "eval: scenarios=%d leaks=%d detected=%d site_correct=%d "
            + "false_positives=%d median_delay_s=%s", scenarios.size(), leaks(), detected(), siteCorrect(),
        falsePositives(), Double.isNaN(median) ? "NaN" : String.format(Locale.ROOT, "%.1f", median));
  }

  /**
   * The per-scenario table, one line per pair of suspects some event named as related (heap first, in the
   * order they were first named: {@code X   related heap FUNCTION [ID8] ~ goroutine FUNCTION [ID8]}), then
   * the summary line last.
   */
  public void print(PrintStream out) {
    out.printf(Locale.ROOT, "%-3s %-22s %-9s %-9s %8s %4s %8s %8s %4s %8s %4s  %s%n", "id", "service",
        "label", "kind", "profiles", "dlq", "events", "detected", "site", "delay_s", "fp", "first OPEN site");
    for (ScenarioScore s : scenarios) {
      String first = s.events().stream().filter(e -> e.status().equals("OPEN"))
          .map(e -> e.kind().toLowerCase(Locale.ROOT) + " " + e.function()).findFirst().orElse("-");
      out.printf(Locale.ROOT, "%-3s %-22s %-9s %-9s %8d %4d %8d %8s %4s %8s %4d  %s%n", s.id(), s.service(),
          s.leak() ? "leak" : "not_leak", s.leakKind(), s.profiles(), s.deadLetters(), s.events().size(),
          s.leak() ? yesNo(s.detected()) : "-", s.leak() ? yesNo(s.siteCorrect()) : "-",
          s.delaySeconds() == null ? "-" : String.format(Locale.ROOT, "%.1f", s.delaySeconds()),
          s.falsePositives(), first);
    }
    for (ScenarioScore s : scenarios) {
      relatedPairs(s).forEach(pair -> out.printf(Locale.ROOT, "%-3s related %s ~ %s%n", s.id(), pair.get(0), pair.get(1)));
    }
    out.println(summaryLine());
  }

  /** The related pairs a scenario's events name, each as its heap side and its goroutine side. */
  static List<List<String>> relatedPairs(ScenarioScore s) {
    Map<String, ScenarioScore.SuspectRecord> byId = new LinkedHashMap<>();
    s.events().forEach(e -> byId.putIfAbsent(e.suspectId(), e));
    Set<List<String>> pairs = new LinkedHashSet<>();
    for (ScenarioScore.SuspectRecord e : s.events()) {
      for (String id : e.relatedSuspects()) {
        ScenarioScore.SuspectRecord other = byId.get(id);
        boolean heapFirst = "HEAP".equals(e.kind());
        pairs.add(List.of(describe(heapFirst ? e : other, heapFirst ? e.suspectId() : id),
            describe(heapFirst ? other : e, heapFirst ? id : e.suspectId())));
      }
    }
    return List.copyOf(pairs);
  }

  /** {@code heap FUNCTION [ID8]}; the id alone for a suspect without events of its own in the replay. */
  private static String describe(ScenarioScore.SuspectRecord e, String id) {
    String shortId = "[" + id.substring(0, Math.min(8, id.length())) + "]";
    return e == null ? shortId : e.kind().toLowerCase(Locale.ROOT) + " " + e.function() + " " + shortId;
  }

  /** Writes the scores and every event per scenario as JSON. */
  public void writeJson(Path file) throws IOException {
    Map<String, Object> doc = new LinkedHashMap<>();
    Map<String, Object> totals = new LinkedHashMap<>();
    totals.put("scenarios", scenarios.size());
    totals.put("leaks", leaks());
    totals.put("detected", detected());
    totals.put("site_correct", siteCorrect());
    totals.put("false_positives", falsePositives());
    double median = medianDelaySeconds();
    totals.put("median_delay_s", Double.isNaN(median) ? null : median);
    doc.put("totals", totals);
    doc.put("scenarios", scenarios);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), doc);
  }

  private static String yesNo(boolean b) {
    return b ? "yes" : "no";
  }
}
