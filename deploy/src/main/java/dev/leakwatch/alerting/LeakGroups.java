package dev.leakwatch.alerting;

import dev.leakwatch.query.SuspectAnswers.Suspect;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * The {@code leak_group} of each open suspect: which alerts are one bug, so that Alertmanager can group them
 * into one notification ({@code group_by: [service, leak_group]}). A goroutine suspect is its own group; a
 * heap suspect joins the group of a goroutine suspect that seems to hold it (docs/DETECTION.md, "Related
 * suspects"), the smallest such id when several do, and is its own group otherwise.
 *
 * <p>The relation is read from both sides: a heap suspect's {@code relatedSuspects} come from its latest
 * event, which may predate the goroutine suspect's opening by up to {@code detection.updateInterval}, while
 * the goroutine suspect's own event already names the heap it holds. Only suspects open in this listing
 * count, so a group never points at an alert that is not firing.
 *
 * <p>A heap suspect stays in the group it had while that goroutine suspect is open, even when their latest
 * events no longer name each other: whether they grow on a same instance at the moment an event is built
 * can change from one event to the next, and each change of group resolves an alert and fires another
 * (two notifications) for what is still one bug. It leaves when the goroutine suspect closes.
 */
final class LeakGroups {
  private final Map<String, String> groupOf;
  private final Map<String, TreeSet<String>> members;

  private LeakGroups(Map<String, String> groupOf, Map<String, TreeSet<String>> members) {
    this.groupOf = groupOf;
    this.members = members;
  }

  /**
   * @param open   the open suspects, keyed by {@code service/id}
   * @param before the group each suspect's alert had in the previous round (or as read back from
   *               Alertmanager), keyed alike; suspects without one are absent
   */
  static LeakGroups of(Map<String, Suspect> open, Map<String, String> before) {
    Map<String, TreeSet<String>> holders = new HashMap<>(); // heap key -> goroutine ids that hold it
    for (Suspect s : open.values()) {
      for (String other : s.relatedSuspects()) {
        Suspect o = open.get(key(s.service(), other));
        if (o == null || isGoroutine(o) == isGoroutine(s)) {
          continue;
        }
        Suspect heap = isGoroutine(s) ? o : s;
        Suspect goroutines = isGoroutine(s) ? s : o;
        holders.computeIfAbsent(key(heap.service(), heap.suspectId()), k -> new TreeSet<>())
            .add(goroutines.suspectId());
      }
    }
    Map<String, String> groupOf = new HashMap<>();
    Map<String, TreeSet<String>> members = new HashMap<>();
    open.forEach((k, s) -> {
      TreeSet<String> held = holders.get(k);
      String kept = before.get(k);
      Suspect keptGroup = kept == null ? null : open.get(key(s.service(), kept));
      String group = !isGoroutine(s) && keptGroup != null && isGoroutine(keptGroup) ? kept
          : held == null ? s.suspectId() : held.first();
      groupOf.put(k, group);
      members.computeIfAbsent(key(s.service(), group), g -> new TreeSet<>()).add(s.suspectId());
    });
    return new LeakGroups(groupOf, members);
  }

  /** The group of the open suspect {@code service/id}; its own id when it is not in the listing. */
  String group(String service, String id) {
    return groupOf.getOrDefault(key(service, id), id);
  }

  /** The other suspects of the group of {@code service/id}, sorted; empty when it is alone. */
  Collection<String> others(String service, String id) {
    TreeSet<String> all = members.getOrDefault(key(service, group(service, id)), new TreeSet<>());
    TreeSet<String> others = new TreeSet<>(all);
    others.remove(id);
    return others;
  }

  private static boolean isGoroutine(Suspect s) {
    return "GOROUTINE".equals(s.kind());
  }

  private static String key(String service, String id) {
    return service + "/" + id;
  }
}
