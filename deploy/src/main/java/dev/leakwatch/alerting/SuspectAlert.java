package dev.leakwatch.alerting;

import dev.leakwatch.demo.Amounts;
import dev.leakwatch.demo.SuspectLine;
import dev.leakwatch.query.SuspectAnswers.Suspect;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The Alertmanager alert for an open suspect (Alertmanager's API v2, {@code POST /api/v2/alerts}).
 *
 * <p>Labels identify the alert, so they hold only what stays the same for a suspect: {@code
 * alertname} {@value #ALERT_NAME}, {@code service}, {@code suspect_id}, {@code kind} ({@code heap} or
 * {@code goroutine}), {@code site} (the blamed function), {@code severity}, {@code leak_group} (see
 * {@link LeakGroups}) and the operator's own labels. {@code severity} is {@code page} for a suspect (heap or
 * goroutine) whose projected exhaustion falls within the paging horizon, {@code ticket} otherwise; when it or the
 * group changes, the alert under the old labels is resolved (see {@link AlertBridge}). What moves —
 * rate, value, instances, the other suspects of the group, the labels that set its instances apart — is
 * in the annotations.
 */
record SuspectAlert(Map<String, String> labels, Map<String, String> annotations, String startsAt, String endsAt,
    String generatorURL) {

  static final String ALERT_NAME = "LeakwatchLeakSuspect";
  static final String PAGE = "page";
  static final String TICKET = "ticket";
  private static final int LISTED_INSTANCES = 10;

  /**
   * How alerts are labelled and linked; {@code ui} without a trailing slash (see {@link AlertSettings}),
   * {@code runbookUrl} null when the operator gave none.
   */
  record Style(Duration pageWithin, URI ui, URI runbookUrl, Map<String, String> extraLabels) {

    /** The labels every alert of this style carries with the same value: its name and the operator's. */
    Map<String, String> fixedLabels() {
      Map<String, String> fixed = new LinkedHashMap<>();
      fixed.put("alertname", ALERT_NAME);
      fixed.putAll(extraLabels);
      return fixed;
    }

    /**
     * Whether an alert with these labels is one a bridge of this style posts: the fixed labels, and no
     * label names but the bridge's own and the operator's. A bridge with one more {@code --label} than
     * another matches the other's filter, but not this, so neither takes over the other's alerts. The
     * label names of releases before {@code leak_group} count as the bridge's own too, so that an
     * upgraded bridge resolves what the older one posted rather than leaving it to linger.
     */
    boolean owns(Map<String, String> labels) {
      return labels.entrySet().containsAll(fixedLabels().entrySet())
          && (hasOwnNames(labels, AlertSettings.OWN_LABELS) || hasOwnNames(labels, AlertSettings.OWN_LABELS_BEFORE_GROUPS));
    }

    private boolean hasOwnNames(Map<String, String> labels, Set<String> own) {
      return labels.size() == own.size() + extraLabels.size() && labels.keySet().containsAll(own);
    }
  }

  /**
   * @param now the round's time: what the projection is measured from
   * @param endsAt until when the alert stays firing without being confirmed again
   */
  /**
   * @param labelNote the labels that set the suspect's instances apart ({@link LabelNotes}); empty: none known
   */
  static SuspectAlert firing(Suspect s, LeakGroups groups, String labelNote, Style style, Instant now,
      Instant endsAt) {
    Map<String, String> labels = style.fixedLabels();
    labels.put("service", s.service());
    labels.put("suspect_id", s.suspectId());
    labels.put("kind", s.kind().toLowerCase(Locale.ROOT));
    labels.put("site", s.site() == null ? "" : s.site().function());
    labels.put("severity", severity(s, style.pageWithin(), now));
    labels.put("leak_group", groups.group(s.service(), s.suspectId()));
    String link = link(style.ui(), s);
    Map<String, String> notes = new LinkedHashMap<>();
    notes.put("summary", summary(s, now));
    notes.put("description", description(s));
    notes.put("instances", String.join(", ", s.instances()));
    Collection<String> others = groups.others(s.service(), s.suspectId());
    if (!others.isEmpty()) {
      notes.put("same_leak_as", String.join(", ", others));
    }
    if (!labelNote.isEmpty()) {
      notes.put("distinguishing_labels", labelNote);
    }
    if (s.projectedExhaustion() != null) {
      notes.put("projected_exhaustion", s.projectedExhaustion());
    }
    notes.put("leakwatch_url", link);
    if (style.runbookUrl() != null) {
      // an annotation, not a label: changing --runbook-url between runs must not change the alerts' identity
      notes.put("runbook_url", style.runbookUrl().toString());
    }
    String started = s.openedAt() != null ? s.openedAt() : s.firstGrowthSeen() != null ? s.firstGrowthSeen() : now.toString();
    return new SuspectAlert(Map.copyOf(labels), notes, started, endsAt.toString(), link);
  }

  /** The same alert, resolved at {@code now}: Alertmanager ends it and notifies as configured. */
  SuspectAlert resolvedAt(Instant now) {
    return new SuspectAlert(labels, annotations, startsAt, now.toString(), generatorURL);
  }

  /** The same alert, confirmed until {@code endsAt}. */
  SuspectAlert until(Instant endsAt) {
    return new SuspectAlert(labels, annotations, startsAt, endsAt.toString(), generatorURL);
  }

  static String severity(Suspect s, Duration pageWithin, Instant now) {
    if (s.projectedExhaustion() == null) {
      return TICKET;
    }
    return Instant.parse(s.projectedExhaustion()).isAfter(now.plus(pageWithin)) ? TICKET : PAGE;
  }

  /** {@code session-store leaks +582 MiB/hour at session.(*Store).Remember (session/store.go:42), OOM in ~6 h}. */
  static String summary(Suspect s, Instant now) {
    StringBuilder b = new StringBuilder(s.service()).append(" leaks ");
    if (s.growthRate() != null && s.growthUnit() != null) {
      b.append(s.growthRate() >= 0 ? "+" : "").append(Amounts.format(s.growthRate(), s.growthUnit())).append(' ');
    }
    b.append("at ").append(s.site() == null ? "(unknown site)"
        : SuspectLine.site(s.site().function(), s.site().file(), s.site().line()));
    if (s.waitReason() != null) {
      b.append(" [").append(s.waitReason()).append(']');
    }
    if (s.projectedExhaustion() != null) {
      Duration left = Duration.between(now, Instant.parse(s.projectedExhaustion()));
      b.append(left.isNegative() || left.isZero() ? ", memory limit reached by projection at " + s.projectedExhaustion()
          : ", OOM in ~" + roughly(left));
    }
    return b.toString();
  }

  private static String description(Suspect s) {
    List<String> instances = s.instances();
    StringBuilder b = new StringBuilder("Growing on ").append(instances.size())
        .append(instances.size() == 1 ? " instance: " : " instances: ")
        .append(String.join(", ", instances.subList(0, Math.min(LISTED_INSTANCES, instances.size()))))
        .append(instances.size() > LISTED_INSTANCES ? ", ..." : "").append('.');
    if (s.currentValue() != null && s.valueUnit() != null) {
      b.append(" Now ").append(Amounts.format(s.currentValue(), s.valueUnit())).append(" at the site.");
    }
    if (s.confidence() != null) {
      b.append(String.format(Locale.ROOT, " Confidence %.2f.", s.confidence()));
    }
    if (s.openedAt() != null) {
      b.append(" Open since ").append(s.openedAt()).append('.');
    }
    if (s.memoryLimitBytes() != null && s.projectedExhaustion() != null) {
      b.append(" Projected to reach the memory limit of ").append(Amounts.bytes(s.memoryLimitBytes()))
          .append(" at ").append(s.projectedExhaustion()).append(" (an upper bound: from the in-use heap after GC, goroutines at their smallest stack).");
    }
    return b.toString();
  }

  /** {@code ~45 min}, {@code ~6 h}, {@code ~3 d}: a projection is not precise to the minute. */
  static String roughly(Duration d) {
    long minutes = Math.max(1, Math.round(d.toSeconds() / 60.0));
    if (minutes < 90) {
      return minutes + " min";
    }
    long hours = Math.round(minutes / 60.0);
    return hours < 48 ? hours + " h" : Math.round(hours / 24.0) + " d";
  }

  /** The web UI's page of the suspect (docs/UI.md): {@code <ui>/#/suspect/<service>/<id>}. */
  private static String link(URI ui, Suspect s) {
    return ui + "/#/suspect/" + segment(s.service()) + "/" + segment(s.suspectId());
  }

  private static String segment(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
