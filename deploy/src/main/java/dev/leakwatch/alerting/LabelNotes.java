package dev.leakwatch.alerting;

import dev.leakwatch.query.SuspectAnswers.Distinguishing;
import dev.leakwatch.query.SuspectAnswers.Labels;
import dev.leakwatch.query.SuspectAnswers.Suspect;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code distinguishing_labels} annotation of each alert: the label pairs that set a suspect's instances
 * apart from the rest of its service ({@code version=1.4.2 on 2 of 5 live instances}; docs/API.md, "Labels of
 * a suspect's instances"), the on-call's first question ("the new release? one region?").
 *
 * <p>The listing the bridge reads each round does not carry them: they come from one suspect's answer, an
 * owner request plus a fan-out. So each suspect's are read when its alert first fires and again every
 * {@link #REFRESH}, at most {@link #READS_PER_ROUND} suspects per round (the oldest first, suspects never read
 * before them): a fleet whose alerts all fire at once gets its notes over a few rounds, not in one burst of
 * requests. A read that fails leaves the note as it was (none, the first time) and is tried again next round;
 * it is no problem of the round, whose job — the alerts themselves — it does not touch. Annotations are not
 * the alert's identity, so a changed note updates the alert in place. Not thread-safe: the bridge's rounds use
 * it in turn.
 */
final class LabelNotes {
  static final Duration REFRESH = Duration.ofHours(1);
  static final int READS_PER_ROUND = 20;
  /** Pairs written into the annotation, the rarest first. */
  static final int MAX_PAIRS = 5;

  /** Reads one suspect's answer: its labels section, empty when the API has none for it. */
  interface Reader {
    Optional<Labels> labels(String service, String id) throws SuspectApi.Unavailable;
  }

  private record Note(String text, Instant readAt) {}

  private final Reader reader;
  private final Map<String, Note> notes = new HashMap<>();

  LabelNotes(Reader reader) {
    this.reader = reader;
  }

  /**
   * Reads the notes due at {@code now} for the open suspects (keyed {@code service/id}), and forgets those of
   * suspects no longer open.
   */
  void refresh(Map<String, Suspect> open, Instant now) {
    notes.keySet().retainAll(open.keySet());
    List<Map.Entry<String, Suspect>> due = new ArrayList<>();
    for (Map.Entry<String, Suspect> e : open.entrySet()) {
      Note n = notes.get(e.getKey());
      if (n == null || !n.readAt().plus(REFRESH).isAfter(now)) {
        due.add(e);
      }
    }
    due.sort(Comparator.comparing(e -> {
      Note n = notes.get(e.getKey());
      return n == null ? Instant.MIN : n.readAt();
    }));
    for (Map.Entry<String, Suspect> e : due.subList(0, Math.min(READS_PER_ROUND, due.size()))) {
      try {
        Optional<Labels> labels = reader.labels(e.getValue().service(), e.getValue().suspectId());
        notes.put(e.getKey(), new Note(labels.map(LabelNotes::text).orElse(""), now));
      } catch (SuspectApi.Unavailable failed) {
        // left as it was; asked again next round
      }
    }
  }

  /** The annotation's text for {@code service/id}; empty when none is known or nothing sets them apart. */
  String note(String key) {
    Note n = notes.get(key);
    return n == null ? "" : n.text();
  }

  /** {@code version=1.4.2 on 2 of 5 live instances; region=eu-1 on 3 of 5 live instances}. */
  static String text(Labels labels) {
    List<String> pairs = new ArrayList<>();
    for (Distinguishing d : labels.distinguishing()) {
      if (pairs.size() == MAX_PAIRS) {
        pairs.add("...");
        break;
      }
      pairs.add(d.name() + "=" + d.value() + " on " + d.serviceInstances() + " of " + d.serviceLiveInstances()
          + " live instances");
    }
    return String.join("; ", pairs) + (labels.truncated() && !pairs.isEmpty()
        ? " (counted: the first " + labels.countedInstances() + " of " + labels.liveInstances() + " by name)" : "");
  }
}
