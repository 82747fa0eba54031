package dev.leakwatch.demo;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which services a running agent scrapes, and which of its targets never delivered a profile, read
 * from its meters: every current target has a {@code leakwatch.agent.target.consecutive.failures}
 * gauge, and one that delivered has a {@code leakwatch.agent.scrapes{outcome=ok}} count above zero. Read it before the
 * agent closes (closing unregisters the per-target meters).
 */
final class ScrapeReport {

  private ScrapeReport() {}

  /** {@code service/instance} of each current target without a successful scrape, sorted. */
  static List<String> neverScraped(MeterRegistry registry) {
    Set<String> delivered = new HashSet<>();
    registry.find("leakwatch.agent.scrapes").tag("outcome", "ok").counters().stream()
        .filter(c -> c.count() > 0).forEach(c -> delivered.add(target(c)));
    Set<String> out = new TreeSet<>();
    registry.find("leakwatch.agent.target.consecutive.failures").gauges().stream()
        .map(ScrapeReport::target).filter(t -> !delivered.contains(t)).forEach(out::add);
    return List.copyOf(out);
  }

  /** The distinct services of the current targets, sorted. */
  static List<String> services(MeterRegistry registry) {
    Set<String> out = new TreeSet<>();
    registry.find("leakwatch.agent.target.consecutive.failures").gauges()
        .forEach(g -> out.add(g.getId().getTag("service")));
    return List.copyOf(out);
  }

  private static String target(Meter m) {
    return m.getId().getTag("service") + "/" + m.getId().getTag("instance");
  }
}
