package dev.leakwatch.cli;

import dev.leakwatch.alerting.AlertBridge;
import dev.leakwatch.alerting.AlertSettings;
import dev.leakwatch.alerting.BridgeMetrics;
import dev.leakwatch.demo.StopSignal;
import dev.leakwatch.naming.Labels;
import dev.leakwatch.web.TokenFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./leakwatch alerts}: keeps Alertmanager's alerts equal to the open leak suspects, read from
 * the query API every {@code --interval} (docs/OPERATIONS.md, "Alerts in Alertmanager"). Exit codes:
 * with {@code --once}, 0 when the API and every Alertmanager answered, 1 otherwise; without it, it
 * runs until Ctrl-C / SIGTERM (the JVM's 130 / 143); 2 for a usage error or an unreadable token file.
 */
@Command(name = "alerts", mixinStandardHelpOptions = true,
    description = {
      "Post the open leak suspects to Alertmanager as alerts (API v2), one per suspect, and resolve them when"
          + " the suspects resolve. Reads the query API every --interval; an API that cannot answer resolves"
          + " nothing (alerts stay firing for --hold). On start it reads back from each Alertmanager the alerts"
          + " a bridge with the same --labels posted, so what was resolved while it was down is resolved too.",
      "Labels: alertname=LeakwatchLeakSuspect, service, suspect_id, kind, site, severity (page when a heap"
          + " suspect's projected OOM is within --page-within, else ticket), and --label ones. Annotations: summary,"
          + " description, instances, projected_exhaustion, leakwatch_url, and runbook_url with --runbook-url."
    })
public final class AlertsCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--api", required = true, paramLabel = "URL", converter = CliValues.UrlValue.class,
      description = "The query API's root, any processor instance (e.g. http://leakwatch-processor:8080).")
  URI api;

  @Option(names = "--token-file", paramLabel = "FILE",
      description = "A file holding the API's bearer token (when http.tokens is set): its first token, read as"
          + " http.tokensFile is (blank and '#' lines skipped), so the processors' own file serves.")
  Path tokenFile;

  @Option(names = "--alertmanager", required = true, paramLabel = "URL", converter = CliValues.UrlValue.class,
      description = "An Alertmanager's root (e.g. http://alertmanager:9093); repeat for each replica of a cluster.")
  List<URI> alertmanagers;

  @Option(names = "--interval", defaultValue = "60s", converter = CliValues.DurationValue.class,
      description = "Time between rounds. Default: ${DEFAULT-VALUE}.")
  Duration interval;

  @Option(names = "--hold", defaultValue = "1h", converter = CliValues.DurationValue.class,
      description = "How long an alert stays firing after the last round that confirmed it (at least 3 intervals)."
          + " Default: ${DEFAULT-VALUE}.")
  Duration hold;

  @Option(names = "--page-within", defaultValue = "6h", converter = CliValues.DurationValue.class,
      description = "severity=page when the projected OOM is within this. Default: ${DEFAULT-VALUE}.")
  Duration pageWithin;

  @Option(names = "--ui", paramLabel = "URL", converter = CliValues.UrlValue.class,
      description = "The web UI's root for the alerts' links (default: --api).")
  URI ui;

  @Option(names = "--runbook-url", paramLabel = "URL", converter = CliValues.UrlValue.class,
      description = "Set as every alert's runbook_url annotation, e.g. where your copy of docs/OPERATIONS.md is"
          + " served, with #leakwatchleaksuspect (default: no runbook_url).")
  URI runbookUrl;

  @Option(names = "--label", paramLabel = "NAME=VALUE", description = "A label for every alert, e.g. cluster=eu-1.")
  Map<String, String> labels = new LinkedHashMap<>();

  @Option(names = "--timeout", defaultValue = "10s", converter = CliValues.DurationValue.class,
      description = "Per HTTP request. Default: ${DEFAULT-VALUE}.")
  Duration timeout;

  @Option(names = "--once", description = "One round, then exit (0 when everything answered, else 1).")
  boolean once;

  @Option(names = "--metrics-port", paramLabel = "PORT", converter = CliValues.PortValue.class,
      description = "Serve GET /metrics and /healthz on this port (all interfaces; default: not served).")
  Integer metricsPort;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    String usage = usageProblem();
    if (usage != null) {
      err.println("alerts: " + usage);
      return 2;
    }
    String token;
    try {
      token = tokenFile == null ? null : token(tokenFile);
    } catch (NoSuchFileException e) {
      // its message is the bare path, which would read "--token-file F: F"
      err.println("alerts: --token-file " + tokenFile + ": no such file");
      return 2;
    } catch (IOException e) {
      err.println("alerts: --token-file " + tokenFile + ": cannot read: " + e);
      return 2;
    } catch (IllegalArgumentException e) {
      err.println("alerts: --token-file " + tokenFile + ": " + e.getMessage());
      return 2;
    }
    AlertBridge bridge = new AlertBridge(settings(token));
    if (once) {
      AlertBridge.Round round = bridge.round(Instant.now());
      err.println("alerts: " + round.line());
      err.flush();
      return round.problems().isEmpty() ? 0 : 1;
    }
    StopSignal stop = new StopSignal();
    try (BridgeMetrics metrics = new BridgeMetrics()) {
      if (metricsPort != null) {
        try {
          metrics.serve("0.0.0.0", metricsPort);
        } catch (IOException e) {
          err.println("alerts: --metrics-port " + metricsPort + ": cannot listen: " + e.getMessage());
          return 2;
        }
      }
      return GracefulStop.run("leakwatch-alerts-shutdown", stop::stop, () -> loop(bridge, metrics, stop, err));
    }
  }

  /** What the options say, once {@link #usageProblem} found nothing wrong with them. */
  AlertSettings settings(String token) {
    return new AlertSettings(api, token, alertmanagers, pageWithin, hold, ui == null ? api : ui, runbookUrl,
        Map.copyOf(labels), timeout);
  }

  /** Rounds until stopped; logs the first round, every change and every problem. */
  private int loop(AlertBridge bridge, BridgeMetrics metrics, StopSignal stop, PrintWriter err) {
    String last = null;
    long next = System.nanoTime();
    while (!stop.stopped()) {
      Instant at = Instant.now();
      AlertBridge.Round round = bridge.round(at);
      metrics.record(round, at);
      String line = round.line();
      if (!line.equals(last) || round.opened() > 0 || round.resolved() > 0 || round.severityChanged() > 0 || round.regrouped() > 0
          || round.adopted() > 0) {
        err.println(Instant.now().truncatedTo(ChronoUnit.SECONDS) + " alerts: " + line);
        err.flush();
      }
      last = line;
      // a round that overran its interval (timeouts) is followed by at least half an interval of rest,
      // not by back-to-back rounds catching up on the schedule
      next = Math.max(next + interval.toNanos(), System.nanoTime() + interval.toNanos() / 2);
      stop.awaitUntil(next);
    }
    return 0;
  }

  private String usageProblem() {
    for (URI u : alertmanagers) {
      if (!web(u)) {
        return "--alertmanager " + u + " is not an http(s) URL";
      }
    }
    if (!web(api) || ui != null && !web(ui)) {
      return (web(api) ? "--ui " + ui : "--api " + api) + " is not an http(s) URL";
    }
    if (runbookUrl != null && !web(runbookUrl)) {
      return "--runbook-url " + runbookUrl + " is not an http(s) URL";
    }
    if (interval.compareTo(Duration.ofSeconds(1)) < 0 || timeout.isZero() || timeout.isNegative()) {
      return "--interval must be at least 1s and --timeout more than 0";
    }
    if (hold.compareTo(interval.multipliedBy(3)) < 0) {
      return "--hold " + hold.toSeconds() + "s is shorter than 3 intervals (" + interval.multipliedBy(3).toSeconds()
          + "s): alerts would end between rounds";
    }
    Optional<String> labelProblem = Labels.problem(labels);
    if (labelProblem.isPresent()) {
      return "--label: " + labelProblem.get();
    }
    for (String name : labels.keySet()) {
      if (name.startsWith("__")) {
        return "--label " + name + ": names starting with '__' are reserved for Prometheus and Alertmanager";
      }
      if (AlertSettings.OWN_LABELS.contains(name)) {
        return "--label " + name + ": the bridge sets that label itself (" + String.join(", ", AlertSettings.OWN_LABELS.stream().sorted().toList()) + ")";
      }
    }
    return null;
  }

  private static boolean web(URI u) {
    return u.getHost() != null && ("http".equals(u.getScheme()) || "https".equals(u.getScheme()));
  }

  /** The file's first token, as the processors read their {@code http.tokensFile}. */
  private static String token(Path file) throws IOException {
    return TokenFile.read(file).stream().findFirst().orElseThrow(() -> new IllegalArgumentException(
        "holds no token (one per line; blank lines and lines starting with '#' are skipped)"));
  }
}
