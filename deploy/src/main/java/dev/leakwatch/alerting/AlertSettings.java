package dev.leakwatch.alerting;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How the alert bridge reads suspects and posts alerts.
 *
 * <p>Root URLs are kept without trailing slashes.
 *
 * @param api the query API's root URL (any processor instance, or the service in front of them)
 * @param token the API's bearer token, or null when it has none
 * @param alertmanagers each Alertmanager's root URL (every replica of a cluster)
 * @param pageWithin a suspect projected to exhaust memory within this is labelled {@code severity=page}
 * @param hold how long an alert stays firing after the last round that confirmed it
 * @param ui the web UI's root URL for the alerts' links (normally the API's)
 * @param runbookUrl set as every alert's {@code runbook_url} annotation, exactly as given (its fragment
 *     names the runbook's section); null: no such annotation, since only the operator knows where the
 *     docs are hosted
 * @param extraLabels labels added to every alert (e.g. {@code cluster})
 * @param timeout per HTTP request
 */
public record AlertSettings(URI api, String token, List<URI> alertmanagers, Duration pageWithin, Duration hold,
    URI ui, URI runbookUrl, Map<String, String> extraLabels, Duration timeout) {

  /** The labels the bridge sets itself on every alert; {@code extraLabels} must not name them. */
  public static final Set<String> OWN_LABELS =
      Set.of("alertname", "service", "suspect_id", "kind", "site", "severity", "leak_group");
  /** The bridge's label names in releases before {@code leak_group}: alerts under them are taken over too. */
  static final Set<String> OWN_LABELS_BEFORE_GROUPS =
      Set.of("alertname", "service", "suspect_id", "kind", "site", "severity");

  /** Every root URL without trailing slashes, once, so that each user appends its path with one '/'. */
  public AlertSettings {
    api = root(api);
    ui = root(ui);
    alertmanagers = alertmanagers.stream().map(AlertSettings::root).toList();
  }

  private static URI root(URI u) {
    return URI.create(u.toString().replaceAll("/+$", ""));
  }
}
