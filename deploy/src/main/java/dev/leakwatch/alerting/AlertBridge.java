package dev.leakwatch.alerting;

import dev.leakwatch.query.SuspectAnswers.Suspect;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Keeps Alertmanager's alerts equal to Leakwatch's open suspects, one round at a time: each round
 * reads every open suspect from the query API and posts all of them as firing, valid for {@code hold};
 * a suspect that was firing and is no longer listed is looked up on its own, and resolved when the
 * API says it is no longer open (or no longer knows it).
 *
 * <p>Nothing is resolved on a doubt: when the API cannot answer (processors restarting, a rebalance,
 * the network), a round posts no firing alert and resolves nothing, so alerts stay firing until their
 * {@code endsAt}, {@code hold} after the last round that confirmed them — an outage of the API or of
 * the bridge itself shorter than {@code hold} neither resolves nor re-notifies. A resolve that an
 * Alertmanager did not take is sent again at the next round, until {@code hold} has passed (by then
 * Alertmanager has ended the alert itself).
 *
 * <p>What was posted is remembered in memory only, so a bridge starts by reading back from each
 * Alertmanager the alerts it owns (see {@link #adopt}), and handles them as if it had posted them:
 * a suspect resolved while no bridge ran gets its explicit resolve after a restart, instead of
 * lingering until its {@code endsAt}. Not thread-safe: one caller runs the rounds.
 */
public final class AlertBridge {

  /**
   * What a round did; {@code problems} is empty when the API and every Alertmanager answered.
   * {@code severityChanged} counts suspects that went on firing under another {@code severity} (the
   * old alert resolved, the new one fired): a change the log must show, as a ticket becoming a page.
   * {@code regrouped} counts suspects that went on firing under another {@code leak_group} (severity
   * unchanged): a heap suspect joining or leaving the group of goroutines that hold it.
   * {@code adopted} counts alerts a previous run posted, found in an Alertmanager and taken over;
   * {@code unread} is how many Alertmanagers have not been read back yet (they are asked every round
   * until each has answered once).
   */
  public record Round(int firing, int opened, int resolved, int severityChanged, int regrouped, int adopted,
      int unread, List<String> problems) {
    /** One line for the log: {@code 3 firing (1 new), 1 resolved}, any severity change or take-over, the problems. */
    public String line() {
      String counts = firing + " firing (" + opened + " new), " + resolved + " resolved"
          + (severityChanged > 0 ? ", " + severityChanged + " changed severity" : "")
          + (regrouped > 0 ? ", " + regrouped + " changed leak group" : "")
          + (adopted > 0 ? ", " + adopted + " taken over from Alertmanager" : "");
      return problems.isEmpty() ? counts : counts + "; " + String.join("; ", problems);
    }
  }

  private final SuspectApi api;
  private final Alertmanagers alertmanagers;
  private final SuspectAlert.Style style;
  private final Duration hold;
  /**
   * The alerts firing per suspect ({@code service/id}): the one this run last posted, and any taken
   * over from Alertmanager. Normally one; more only when Alertmanagers held several for a suspect (a
   * replica that never took the resolve of an old severity), all but the current one to be resolved.
   */
  private final Map<String, List<SuspectAlert>> firing = new LinkedHashMap<>();
  /** Resolves not yet taken by every Alertmanager, by their labels. */
  private final Map<Map<String, String>, SuspectAlert> unsentResolves = new LinkedHashMap<>();
  /** The Alertmanagers (their indexes) whose alerts have not been read back yet. */
  private final Set<Integer> unread = new TreeSet<>();
  private final LabelNotes labelNotes;

  public AlertBridge(AlertSettings settings) {
    this.api = new SuspectApi(settings.api(), settings.token(), settings.timeout());
    this.labelNotes = new LabelNotes(api::labels);
    this.alertmanagers = new Alertmanagers(settings.alertmanagers(), settings.timeout());
    this.style = new SuspectAlert.Style(settings.pageWithin(), settings.ui(), settings.runbookUrl(),
        settings.extraLabels());
    this.hold = settings.hold();
    for (int i = 0; i < alertmanagers.count(); i++) {
      unread.add(i);
    }
  }

  /** One round at {@code now}. */
  public Round round(Instant now) {
    List<String> problems = new ArrayList<>();
    List<String> unreadProblems = new ArrayList<>();
    int adopted = adopt(unreadProblems);
    unsentResolves.values().removeIf(a -> Instant.parse(a.endsAt()).plus(hold).isBefore(now));
    Map<String, Suspect> open;
    try {
      open = openNow();
    } catch (SuspectApi.Unavailable e) {
      problems.add("suspects not read, nothing resolved: " + e.getMessage());
      problems.addAll(unreadProblems);
      List<String> failures = alertmanagers.post(List.copyOf(unsentResolves.values()));
      if (failures.isEmpty()) {
        unsentResolves.clear();
      }
      problems.addAll(failures);
      return new Round(firing.size(), 0, 0, 0, 0, adopted, unread.size(), problems);
    }
    problems.addAll(unreadProblems);
    List<SuspectAlert> batch = new ArrayList<>();
    Map<String, List<SuspectAlert>> next = new LinkedHashMap<>();
    int opened = 0;
    int resolved = 0;
    int severityChanged = 0;
    int regrouped = 0;
    for (Map.Entry<String, List<SuspectAlert>> e : firing.entrySet()) {
      if (open.containsKey(e.getKey())) {
        continue;
      }
      Optional<Optional<Suspect>> found = lookUp(e.getValue().get(0), problems);
      if (found.isEmpty()) {
        next.put(e.getKey(), e.getValue()); // not confirmed either way: left to expire at its endsAt
      } else if (found.get().isPresent()) {
        open.put(e.getKey(), found.get().get()); // a page boundary moved while the listing was read
      } else {
        e.getValue().forEach(a -> unsentResolves.put(a.labels(), a.resolvedAt(now)));
        resolved++;
      }
    }
    LeakGroups groups = LeakGroups.of(open, groupsBefore());
    labelNotes.refresh(open, now);
    for (Map.Entry<String, Suspect> e : open.entrySet()) {
      SuspectAlert alert = SuspectAlert.firing(e.getValue(), groups, labelNotes.note(e.getKey()), style, now,
          now.plus(hold));
      List<SuspectAlert> before = firing.getOrDefault(e.getKey(), List.of());
      if (before.isEmpty()) {
        opened++;
      }
      // severity or group moved (the projection came nearer or went away, a goroutine suspect holding
      // this heap opened or closed; also while no bridge ran): end the alert under the old labels
      List<SuspectAlert> changed = before.stream().filter(b -> !b.labels().equals(alert.labels())).toList();
      changed.forEach(b -> unsentResolves.put(b.labels(), b.resolvedAt(now)));
      if (changed.stream().anyMatch(b -> !alert.labels().get("severity").equals(b.labels().get("severity")))) {
        severityChanged++;
      } else if (!changed.isEmpty()) {
        regrouped++;
      }
      next.put(e.getKey(), new ArrayList<>(List.of(alert)));
      batch.add(alert);
    }
    batch.addAll(unsentResolves.values());
    List<String> failures = alertmanagers.post(batch);
    if (failures.isEmpty()) {
      unsentResolves.clear();
    }
    problems.addAll(failures);
    firing.clear();
    firing.putAll(next);
    return new Round(next.size(), opened, resolved, severityChanged, regrouped, adopted, unread.size(), problems);
  }

  /**
   * The {@code leak_group} each firing suspect's alert carries: the one this run posted last, else the
   * first taken over that has one (an older bridge's alerts have none).
   */
  private Map<String, String> groupsBefore() {
    Map<String, String> groups = new HashMap<>();
    firing.forEach((k, alerts) -> alerts.stream().map(a -> a.labels().get("leak_group")).filter(g -> g != null)
        .findFirst().ifPresent(g -> groups.put(k, g)));
    return groups;
  }

  /**
   * Reads back, from each Alertmanager not read yet, the alerts it holds that this bridge owns (its
   * alert name, its {@code --label}s and no other label names: {@link SuspectAlert.Style#owns}), and
   * takes them over into {@link #firing} as if this run had posted them. The round then decides each
   * as any other: firing on while its suspect is open, resolved once the API says it is not (never
   * on a doubt), resolved under its old labels when the suspect's labels would now differ. An
   * Alertmanager that cannot be read is asked again next round; until it answers, an alert only it
   * holds for a suspect this run has not seen open lingers until its {@code endsAt}.
   *
   * @return how many alerts were taken over (alerts this run already had are not counted)
   */
  private int adopt(List<String> problems) {
    int adopted = 0;
    for (Iterator<Integer> it = unread.iterator(); it.hasNext(); ) {
      List<SuspectAlert> held;
      try {
        held = alertmanagers.held(it.next(), style.fixedLabels());
      } catch (Alertmanagers.Failed e) {
        problems.add("alerts posted before this start not read (asked again next round): " + e.getMessage());
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        problems.add("interrupted while reading alerts back");
        break;
      }
      it.remove();
      for (SuspectAlert a : held) {
        if (!style.owns(a.labels()) || unsentResolves.containsKey(a.labels())) {
          continue; // another bridge's, or one this run resolved and that Alertmanager had not taken yet
        }
        List<SuspectAlert> known = firing.computeIfAbsent(key(a.labels().get("service"), a.labels().get("suspect_id")),
            k -> new ArrayList<>());
        if (known.stream().noneMatch(k -> k.labels().equals(a.labels()))) {
          known.add(a);
          adopted++;
        }
      }
    }
    return adopted;
  }

  /** Open suspects by {@code service/id}. */
  private Map<String, Suspect> openNow() throws SuspectApi.Unavailable {
    Map<String, Suspect> open = new LinkedHashMap<>();
    for (Suspect s : api.open()) {
      open.put(key(s.service(), s.suspectId()), s);
    }
    return open;
  }

  /**
   * A suspect missing from the listing, asked on its own: the suspect when it is still open, empty
   * inside when it is not (resolved, or no longer known); empty outside when the API could not say.
   */
  private Optional<Optional<Suspect>> lookUp(SuspectAlert alert, List<String> problems) {
    String service = alert.labels().get("service");
    String id = alert.labels().get("suspect_id");
    try {
      return Optional.of(api.suspect(service, id).filter(s -> "open".equals(s.state())));
    } catch (SuspectApi.Unavailable e) {
      problems.add("suspect " + service + "/" + id + " not confirmed: " + e.getMessage());
      return Optional.empty();
    }
  }

  private static String key(String service, String id) {
    return service + "/" + id;
  }
}
