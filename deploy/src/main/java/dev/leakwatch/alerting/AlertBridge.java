package dev.leakwatch.alerting;

import dev.leakwatch.query.SuspectAnswers.Suspect;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
 * Alertmanager has ended the alert itself). Not thread-safe: one caller runs the rounds.
 */
public final class AlertBridge {

  /**
   * What a round did; {@code problems} is empty when the API and every Alertmanager answered.
   * {@code severityChanged} counts suspects that went on firing under another {@code severity} (the
   * old alert resolved, the new one fired): a change the log must show, as a ticket becoming a page.
   */
  public record Round(int firing, int opened, int resolved, int severityChanged, List<String> problems) {
    /** One line for the log: {@code 3 firing (1 new), 1 resolved}, then any severity change, then the problems. */
    public String line() {
      String counts = firing + " firing (" + opened + " new), " + resolved + " resolved"
          + (severityChanged > 0 ? ", " + severityChanged + " changed severity" : "");
      return problems.isEmpty() ? counts : counts + "; " + String.join("; ", problems);
    }
  }

  private final SuspectApi api;
  private final Alertmanagers alertmanagers;
  private final SuspectAlert.Style style;
  private final Duration hold;
  /** The alert last posted firing per suspect ({@code service/id}). */
  private final Map<String, SuspectAlert> firing = new LinkedHashMap<>();
  /** Resolves not yet taken by every Alertmanager, by their labels. */
  private final Map<Map<String, String>, SuspectAlert> unsentResolves = new LinkedHashMap<>();

  public AlertBridge(AlertSettings settings) {
    this.api = new SuspectApi(settings.api(), settings.token(), settings.timeout());
    this.alertmanagers = new Alertmanagers(settings.alertmanagers(), settings.timeout());
    this.style = new SuspectAlert.Style(settings.pageWithin(), settings.ui(), settings.extraLabels());
    this.hold = settings.hold();
  }

  /** One round at {@code now}. */
  public Round round(Instant now) {
    List<String> problems = new ArrayList<>();
    unsentResolves.values().removeIf(a -> Instant.parse(a.endsAt()).plus(hold).isBefore(now));
    Map<String, Suspect> open;
    try {
      open = openNow();
    } catch (SuspectApi.Unavailable e) {
      problems.add("suspects not read, nothing resolved: " + e.getMessage());
      List<String> failures = alertmanagers.post(List.copyOf(unsentResolves.values()));
      if (failures.isEmpty()) {
        unsentResolves.clear();
      }
      problems.addAll(failures);
      return new Round(firing.size(), 0, 0, 0, problems);
    }
    List<SuspectAlert> batch = new ArrayList<>();
    Map<String, SuspectAlert> next = new LinkedHashMap<>();
    int opened = 0;
    int resolved = 0;
    int severityChanged = 0;
    for (Map.Entry<String, SuspectAlert> e : firing.entrySet()) {
      if (open.containsKey(e.getKey())) {
        continue;
      }
      Optional<Optional<Suspect>> found = lookUp(e.getValue(), problems);
      if (found.isEmpty()) {
        next.put(e.getKey(), e.getValue()); // not confirmed either way: left to expire at its endsAt
      } else if (found.get().isPresent()) {
        open.put(e.getKey(), found.get().get()); // a page boundary moved while the listing was read
      } else {
        unsentResolves.put(e.getValue().labels(), e.getValue().resolvedAt(now));
        resolved++;
      }
    }
    for (Map.Entry<String, Suspect> e : open.entrySet()) {
      SuspectAlert alert = SuspectAlert.firing(e.getValue(), style, now, now.plus(hold));
      SuspectAlert before = firing.get(e.getKey());
      if (before == null) {
        opened++;
      } else if (!before.labels().equals(alert.labels())) {
        // severity moved (the projection came nearer or went away): end the alert under the old labels
        unsentResolves.put(before.labels(), before.resolvedAt(now));
        severityChanged++;
      }
      next.put(e.getKey(), alert);
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
    return new Round(next.size(), opened, resolved, severityChanged, problems);
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
