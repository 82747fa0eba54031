package dev.leakwatch.demo;

import dev.leakwatch.topology.eval.CorpusScenario;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The closing table of a run: per service, its distinct suspects (latest status, site, rate), next
 * to how the corpus labels the service when the profiles were replayed from one, so a newcomer can
 * check the result at a glance. The labels are read only here: they never reach Kafka.
 */
public final class DemoSummary {

  private DemoSummary() {}

  public static void print(PrintWriter out, List<CorpusScenario> scenarios, SuspectTally tally) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (CorpusScenario s : scenarios) {
      labels.put(s.service(), s.leak() ? "leak (" + s.leakKind() + ")" : "not a leak");
    }
    List<String> services = new ArrayList<>(labels.keySet());
    tally.services().stream().filter(s -> !labels.containsKey(s)).forEach(services::add);
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
