package dev.leakwatch.agent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * File-based target discovery, from the {@code discovery:} section: each file holds a list of
 * targets in the same format as the static {@code targets:} list and is re-read when it changes,
 * so a fleet can be managed without restarting the agent.
 *
 * @param files target files, resolved against the configuration file's directory
 * @param refreshInterval how often the files are checked for changes (default 10 s)
 * @param settleDelay how long a changed content must stay the same before it is applied: the files
 *     are read again this long after a change was seen, and only the same bytes twice count (a file
 *     another process is still writing is not applied half-written); at most {@code
 *     refreshInterval}, default 1 s or {@code refreshInterval} if shorter
 * @param kubernetes pod discovery through the Kubernetes API, or null when off
 */
public record DiscoverySettings(
    List<Path> files, Duration refreshInterval, Duration settleDelay, KubernetesSettings kubernetes) {
  static final Duration DEFAULT_SETTLE_DELAY = Duration.ofSeconds(1);
  static final Duration MIN_SETTLE_DELAY = Duration.ofMillis(10);

  public DiscoverySettings {
    files = List.copyOf(files);
  }

  /** The same settings without any source of targets (a push-only gateway). */
  public DiscoverySettings withoutSources() {
    return new DiscoverySettings(List.of(), refreshInterval, settleDelay, null);
  }

  static DiscoverySettings parse(ConfigNode n, Path baseDir, UnaryOperator<String> env) {
    n.rejectUnknownKeys(Set.of("files", "refreshInterval", "settleDelay", "kubernetes"));
    List<Path> files =
        n.strings("files", List.of()).stream()
            .map(f -> baseDir.resolve(f).normalize())
            .collect(Collectors.toList());
    Duration refresh = n.duration("refreshInterval", Duration.ofSeconds(10), Duration.ofMillis(50));
    Duration settle =
        n.duration(
            "settleDelay",
            DEFAULT_SETTLE_DELAY.compareTo(refresh) < 0 ? DEFAULT_SETTLE_DELAY : refresh,
            MIN_SETTLE_DELAY);
    if (settle.compareTo(refresh) > 0) {
      // a change is applied within refreshInterval + settleDelay: the wait for settling must not
      // dominate the interval the operator chose
      throw new ConfigException(
          n.child("settleDelay").path() + ": " + Durations.format(settle)
              + " exceeds the refreshInterval " + Durations.format(refresh));
    }
    return new DiscoverySettings(
        files, refresh, settle, KubernetesSettings.parse(n.child("kubernetes"), baseDir, env));
  }
}
