package dev.leakwatch.demo;

import dev.leakwatch.detect.DetectionPolicy;
import dev.leakwatch.topology.eval.CorpusScenario;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The closing table of a run: per service, its distinct suspects (latest status, site, rate), next
 * to how the corpus labels the service when the profiles were replayed from one, so a newcomer can
 * check the result at a glance. The labels are read only here: they never reach Kafka. A leak the
 * processor's rules leave unjudged ({@code detection.services}, {@code judge: false}) is marked with
 * the rule, as the processor logs it and {@code eval} names it, so that it is not read as a miss.
 */
public final class DemoSummary {

  private DemoSummary() {}

  /**
   * The demo's table: every replayed service with its recorded label, then any other with suspects.
   *
   * @param policy the processor's detection rules, to name the one leaving a recorded leak unjudged
   */
  public static void print(PrintWriter out, List<CorpusScenario> scenarios, DetectionPolicy policy, SuspectTally tally) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (CorpusScenario s : scenarios) {
      DetectionPolicy.Rule rule = policy.ruleFor(s.service());
      labels.put(s.service(), !s.leak() ? "not a leak"
          : "leak (" + s.leakKind() + ")" + (DetectionPolicy.judged(rule) ? "" : ", left unjudged by " + policy.describe(rule)));
    }
    print(out, new ArrayList<>(labels.keySet()), labels, tally);
  }

  /**
   * The table of {@code local}: every service the agent scraped (none has a label), then any other
   * with suspects (a target removed during the run), so that "0 of N" counts what was watched.
   */
  public static void printScraped(PrintWriter out, Collection<String> scraped, SuspectTally tally) {
    print(out, new ArrayList<>(new TreeSet<>(scraped)), Map.of(), tally);
  }

  private static void print(PrintWriter out, List<String> listed, Map<String, String> labels, SuspectTally tally) {
    List<String> services = new ArrayList<>(listed);
    tally.services().stream().filter(s -> !listed.contains(s)).forEach(services::add);
    long flagged = services.stream().filter(s -> !tally.suspects(s).isEmpty()).count();
    int width = services.stream().mapToInt(String::length).max().orElse(8);
    out.println();
    out.printf(Locale.ROOT, "Summary: %d of %d services have leak suspects%n", flagged, services.size());
    for (String service : services) {
      List<SuspectTally.Entry> suspects = tally.suspects(service);
      String label = labels.containsKey(service) ? "recorded as: " + labels.get(service) : "";
      out.printf(Locale.ROOT, "  %-" + width + "s  %-11s  %s%n", service, count(suspects.size()), label);
      for (SuspectTally.Entry e : suspects) {
        out.printf(Locale.ROOT, "  %-" + width + "s    %s %s %s, %s%n", "", e.latest().getStatus(), e.latest().getKind(),
            SuspectLine.site(e.latest().getSite()), SuspectLine.rate(e.latest()));
      }
    }
    out.flush();
  }

  private static String count(int n) {
    return n == 0 ? "no suspect" : n == 1 ? "1 suspect" : n + " suspects";
  }
}
