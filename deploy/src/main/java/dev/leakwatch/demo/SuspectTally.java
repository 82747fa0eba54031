package dev.leakwatch.demo;

import dev.leakwatch.schemas.avro.LeakSuspect;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Distinct suspects per service, as seen in a stream of events: the latest event of each suspect
 * id wins. Thread-safe.
 */
public final class SuspectTally {

  /**
   * A suspect as last seen.
   *
   * @param latest its latest event
   * @param events how many events it had
   */
  public record Entry(LeakSuspect latest, int events) {}

  private final Map<String, Map<String, Entry>> byService = new TreeMap<>();

  public synchronized void add(LeakSuspect e) {
    Map<String, Entry> suspects = byService.computeIfAbsent(e.getService(), s -> new LinkedHashMap<>());
    Entry before = suspects.get(e.getSuspectId());
    suspects.put(e.getSuspectId(), new Entry(e, before == null ? 1 : before.events() + 1));
  }

  /** The distinct suspects of {@code service}, in order of first appearance; empty if none. */
  public synchronized List<Entry> suspects(String service) {
    Map<String, Entry> m = byService.get(service);
    return m == null ? List.of() : List.copyOf(m.values());
  }

  /** Services with at least one suspect, sorted. */
  public synchronized List<String> services() {
    return new ArrayList<>(byService.keySet());
  }
}
