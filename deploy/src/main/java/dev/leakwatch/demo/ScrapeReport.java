package dev.leakwatch.demo;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Which services a running agent scrapes, and which of its targets never delivered a profile, read
 * from its meters: every current target has a {@code leakwatch.agent.target.consecutive.failures}
 * gauge, one that was asked has a {@code leakwatch.agent.scrapes} count above zero (or failures in a
 * row), and one that delivered has a {@code leakwatch.agent.scrapes{outcome=ok}} count above zero. Read it before the
 * agent closes (closing unregisters the per-target meters).
 */
final class ScrapeReport {

  private ScrapeReport() {}

  /**
   * {@code service/instance} of each current target that was asked for a profile and never delivered
   * one, sorted: its scrapes all failed (a failed one is counted, or its latest round failed).
   */
  static List<String> neverScraped(MeterRegistry registry) {
    Set<String> asked = targetsWithScrapes(registry, null);
    registry.find("leakwatch.agent.target.consecutive.failures").gauges().stream()
        .filter(g -> g.value() > 0).forEach(g -> asked.add(target(g)));
    return currentTargets(registry, t -> asked.contains(t) && !targetsWithScrapes(registry, "ok").contains(t));
  }

  /**
   * {@code service/instance} of each current target not asked for any profile yet, sorted: a target's
   * first round comes at a random point of its first interval, so a short run can end before it. Such
   * a target has not failed, and is not reported as if it had.
   */
  static List<String> notAskedYet(MeterRegistry registry) {
    Set<String> asked = targetsWithScrapes(registry, null);
    return currentTargets(registry, t -> !asked.contains(t)
        && registry.find("leakwatch.agent.target.consecutive.failures").tags(tags(t)).gauges().stream()
            .allMatch(g -> g.value() == 0));
  }

  /** Targets with a scrape of {@code outcome} (null: any outcome) counted. */
  private static Set<String> targetsWithScrapes(MeterRegistry registry, String outcome) {
    Set<String> out = new HashSet<>();
    (outcome == null ? registry.find("leakwatch.agent.scrapes") : registry.find("leakwatch.agent.scrapes")
        .tag("outcome", outcome)).counters().stream().filter(c -> c.count() > 0).forEach(c -> out.add(target(c)));
    return out;
  }

  /** The current targets (each has a consecutive-failures gauge) that pass {@code filter}, sorted. */
  private static List<String> currentTargets(MeterRegistry registry, Predicate<String> filter) {
    Set<String> out = new TreeSet<>();
    registry.find("leakwatch.agent.target.consecutive.failures").gauges().stream()
        .map(ScrapeReport::target).filter(filter).forEach(out::add);
    return List.copyOf(out);
  }

  private static String[] tags(String target) {
    int slash = target.indexOf('/');
    return new String[] {"service", target.substring(0, slash), "instance", target.substring(slash + 1)};
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
