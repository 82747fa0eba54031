package dev.leakwatch.agent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * File-based target discovery, from the {@code discovery:} section: each file holds a list of
 * targets in the same format as the static {@code targets:} list and is re-read when it changes,
 * so a fleet can be managed without restarting the agent.
 *
 * @param files target files, resolved against the configuration file's directory
 * @param refreshInterval how often the files are checked for changes (default 10 s)
 */
public record DiscoverySettings(List<Path> files, Duration refreshInterval) {

  public DiscoverySettings {
    files = List.copyOf(files);
  }

  static DiscoverySettings parse(ConfigNode n, Path baseDir) {
    n.rejectUnknownKeys(Set.of("files", "refreshInterval"));
    List<Path> files =
        n.strings("files", List.of()).stream()
            .map(f -> baseDir.resolve(f).normalize())
            .collect(Collectors.toList());
    return new DiscoverySettings(
        files, n.duration("refreshInterval", Duration.ofSeconds(10), Duration.ofMillis(50)));
  }
}
