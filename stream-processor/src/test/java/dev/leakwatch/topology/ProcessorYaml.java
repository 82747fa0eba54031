package dev.leakwatch.topology;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code processor.yaml} for fail-over tests: one stream thread, fast commits, a short session timeout and
 * transaction timeout (a killed instance's partitions and open transaction are taken over within
 * seconds), a small RocksDB cache, the query API on a free port.
 */
public final class ProcessorYaml {

  private ProcessorYaml() {}

  /**
   * @param extraLines further top-level YAML lines (e.g. {@code standbyReplicas: 1}); a
   *     {@code topics:} sub-key must come indented after {@code "topics:"}, which is written first
   */
  public static String failover(String applicationId, String bootstrap, Path stateDir, int partitions,
      String... extraLines) {
    List<String> lines = new ArrayList<>(List.of(
        "applicationId: " + applicationId,
        "bootstrapServers: " + bootstrap,
        "stateDir: " + stateDir,
        "commitInterval: 200ms",
        // one stream thread (one group member) per instance: the tests kill and count instances
        "streamThreads: 1",
        "topics:",
        "  partitions: " + partitions));
    lines.addAll(List.of(extraLines));
    lines.addAll(List.of(
        "lifecycleTick: 5s",
        "rocksdb:",
        "  blockCacheBytes: 16MiB",
        "http:",
        "  port: 0",
        "streams:",
        "  session.timeout.ms: 3000",
        "  heartbeat.interval.ms: 500",
        "  producer.transaction.timeout.ms: 5000",
        ""));
    return String.join("\n", lines);
  }
}
