package dev.leakwatch.demo;

import dev.leakwatch.agent.model.ProfileKind;
import dev.leakwatch.agent.model.TargetId;
import dev.leakwatch.topology.eval.CorpusScenario;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Every capture of a recorded corpus in the order a live fleet would have produced it: by
 * recorded capture time, ties broken by service, instance and profile type, so a replay is
 * deterministic. Reads no profile bytes (files are opened when they are published).
 *
 * @param items the captures, ordered
 * @param scenarios the scenarios the captures come from, in corpus order (labels for summaries;
 *     never published)
 */
public record ReplayPlan(List<Item> items, List<CorpusScenario> scenarios) {

  /**
   * One profile file to publish.
   *
   * @param target service and instance, as the agent would key them
   * @param kind profile type
   * @param recordedMs the manifest's capture time, ms since the epoch
   * @param file the profile, exactly as Go served it
   */
  public record Item(TargetId target, ProfileKind kind, long recordedMs, Path file) {}

  public ReplayPlan {
    items = List.copyOf(items);
    scenarios = List.copyOf(scenarios);
    if (items.isEmpty()) {
      throw new IllegalArgumentException("the corpus lists no capture file");
    }
  }

  /**
   * Orders the captures of {@code scenarios}.
   *
   * @throws IllegalArgumentException for a profile type the agent does not know or a service or
   *     instance name the agent would refuse (the message names it)
   */
  public static ReplayPlan of(List<CorpusScenario> scenarios) {
    List<Item> items = new ArrayList<>();
    for (CorpusScenario s : scenarios) {
      for (CorpusScenario.Capture c : s.captures()) {
        Optional<String> bad = TargetId.problem(s.service(), c.instance());
        if (bad.isPresent()) {
          throw new IllegalArgumentException("scenario " + s.id() + ": " + bad.get());
        }
        ProfileKind kind = ProfileKind.byEndpoint(c.type()).orElseThrow(() -> new IllegalArgumentException(
            "scenario " + s.id() + ": unknown profile type '" + c.type() + "' for " + c.file()
                + " (known: " + ProfileKind.names() + ")"));
        items.add(new Item(new TargetId(s.service(), c.instance()), kind, c.captureMs(), c.file()));
      }
    }
    items.sort(Comparator.comparingLong(Item::recordedMs)
        .thenComparing(i -> i.target().service())
        .thenComparing(i -> i.target().instance())
        .thenComparing(Item::kind));
    return new ReplayPlan(items, scenarios);
  }

  /** Recorded capture time of the first item, ms since the epoch. */
  public long firstMs() {
    return items.get(0).recordedMs();
  }

  /** Recorded capture time of the last item, ms since the epoch. */
  public long lastMs() {
    return items.get(items.size() - 1).recordedMs();
  }

  /** Recorded time from the first to the last capture. */
  public Duration span() {
    return Duration.ofMillis(lastMs() - firstMs());
  }

  /** Services in corpus order. */
  public Set<String> services() {
    Set<String> out = new LinkedHashSet<>();
    scenarios.forEach(s -> out.add(s.service()));
    return out;
  }
}
