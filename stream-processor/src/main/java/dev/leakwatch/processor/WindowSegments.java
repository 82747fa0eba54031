package dev.leakwatch.processor;

import dev.leakwatch.topology.TopologyConfig;
import dev.leakwatch.topology.TopologyNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.streams.state.Stores;

/**
 * Refuses a start whose {@code windows.retention} would leave the window stores' data on this host unread.
 * Kafka Streams keeps a window store in segments of half its retention (at least a minute), named by
 * their start, and at start opens each segment directory under the segment it maps to at the
 * <em>current</em> size: after a change of the retention, a segment whose name is no multiple of the new
 * size is never opened nor deleted (its windows vanish from queries and stay on the disk for good), and
 * one that is a multiple holds windows its new range does not look for. The stores of this host then
 * answer otherwise than the changelogs they would be restored from. Each start notes the size in
 * {@code <stateDir>/<applicationId>.window-segments}; state without that note (written before this check)
 * is judged by its segments' names.
 */
final class WindowSegments {
  private static final List<String> STORES =
      List.of(TopologyNames.SERVICE_WINDOWS_STORE, TopologyNames.SUSPECT_HISTORY_STORE);

  private WindowSegments() {}

  /**
   * @throws IllegalStateException starting with {@code windows.retention:}, naming the state directory and
   *     what to do, when its window segments were written under another retention
   * @throws UncheckedIOException when the state directory cannot be read or the note written
   */
  static void check(Path stateDir, String applicationId, TopologyConfig topology) {
    long size = segmentMs(topology.windowRetention());
    Path note = stateDir.resolve(applicationId + ".window-segments");
    try {
      long noted = noted(note);
      List<Long> starts = segmentStarts(stateDir.resolve(applicationId));
      if (noted > 0 && noted != size && !starts.isEmpty()) {
        throw refused(stateDir, applicationId, "segments of " + noted + " ms (windows.retention "
            + human(Duration.ofMillis(2 * noted)) + ")", topology, size);
      }
      if (noted <= 0 && starts.stream().anyMatch(start -> start % size != 0)) {
        throw refused(stateDir, applicationId, "segments of another size", topology, size);
      }
      Files.writeString(note, Long.toString(size), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot check the window segments in the state directory " + stateDir
          + ": " + e, e);
    }
  }

  /** The size a start noted, or 0 when none did (or the note is not a number: judged by the names then). */
  private static long noted(Path note) throws IOException {
    if (!Files.exists(note)) {
      return 0;
    }
    try {
      return Long.parseLong(Files.readString(note, StandardCharsets.UTF_8).trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** The segment size Kafka Streams gives the window stores of this retention. */
  static long segmentMs(Duration retention) {
    return Stores.persistentWindowStore(TopologyNames.SERVICE_WINDOWS_STORE, retention, Duration.ofMillis(1), false)
        .segmentIntervalMs();
  }

  /** A duration as a configuration would give it: {@code 7d}, {@code 12h}, else ISO-8601. */
  private static String human(Duration d) {
    if (d.toMillis() % 86_400_000L == 0) {
      return d.toDays() + "d";
    }
    return d.toMillis() % 3_600_000L == 0 ? d.toHours() + "h" : d.toString();
  }

  /** The starts of the window segments in the task directories under {@code appDir} (none without state). */
  private static List<Long> segmentStarts(Path appDir) throws IOException {
    List<Long> starts = new ArrayList<>();
    if (!Files.isDirectory(appDir)) {
      return starts;
    }
    try (Stream<Path> tasks = Files.list(appDir)) {
      for (Path task : tasks.filter(Files::isDirectory).toList()) {
        for (String store : STORES) {
          Path dir = task.resolve(store);
          if (Files.isDirectory(dir)) {
            try (Stream<Path> segments = Files.list(dir)) {
              segments.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\Q" + store + "\\E\\.\\d+"))
                  .forEach(n -> starts.add(Long.parseLong(n.substring(store.length() + 1))));
            }
          }
        }
      }
    }
    return starts;
  }

  private static IllegalStateException refused(Path stateDir, String applicationId, String written,
      TopologyConfig topology, long size) {
    return new IllegalStateException("windows.retention: the state directory " + stateDir + " holds windows stored in "
        + written + ", and windows.retention " + human(topology.windowRetention()) + " makes segments of " + size
        + " ms: Kafka Streams would leave those windows (service-windows, suspect-history) unread and never"
        + " delete them. Set windows.retention back, or stop this processor, delete its state directory (its"
        + " stores are restored from their changelogs) and start it again; for a longer retention, first raise"
        + " retention.ms of the topics " + applicationId + "-service-windows-changelog and " + applicationId
        + "-suspect-history-changelog (docs/OPERATIONS.md, \"Changing settings over stored state\")");
  }
}
