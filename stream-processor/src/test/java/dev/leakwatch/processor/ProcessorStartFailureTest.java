package dev.leakwatch.processor;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A processor whose construction fails half-way leaves nothing running: no HTTP server thread, no
 * Kafka client thread, no thread of ours, so that the process exits with the message alone (or, in
 * {@code local} and tests, the JVM can try again).
 */
class ProcessorStartFailureTest {

  /** The prefixes of the threads a processor starts: Jetty's pool, Kafka's clients, ours, its stream threads. */
  private static final List<String> PREFIXES = List.of("JettyServerThreadPool", "kafka-", "leakwatch-", "start-failure");

  @TempDir
  Path dir;

  private static Map<String, Long> threadsByPrefix() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
        .map(t -> PREFIXES.stream().filter(p -> t.getName().startsWith(p)).findFirst().orElse(null))
        .filter(p -> p != null).collect(Collectors.groupingBy(p -> p, TreeMap::new, Collectors.counting()));
  }

  /**
   * No prefix has more live threads than at {@code baseline}. Not equality: threads an earlier test
   * class of this JVM left ending (a closed client's network thread) may end meanwhile, and a count
   * below the baseline never came back up to it (the start-failure test timed out under load).
   */
  private static boolean noneAbove(Map<String, Long> baseline) {
    return threadsByPrefix().entrySet().stream()
        .allMatch(e -> e.getValue() <= baseline.getOrDefault(e.getKey(), 0L));
  }

  private ProcessorConfig config(int httpPort) {
    return ProcessorConfig.parse(String.join("\n", "applicationId: start-failure",
        "bootstrapServers: 127.0.0.1:1", // nothing is sent: the failures come first
        "stateDir: " + dir.resolve("state"), "http:", "  host: 127.0.0.1", "  port: " + httpPort, ""));
  }

  @Test
  void shouldStopEveryThreadAndNameThePortWhenTheHttpPortIsTaken() throws Exception {
    Map<String, Long> baseline = threadsByPrefix();
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> new ProcessorRuntime(config(taken.getLocalPort())));
      assertTrue(e.getMessage().startsWith("cannot serve HTTP on 127.0.0.1:" + taken.getLocalPort()), e.getMessage());
      assertTrue(e.getMessage().contains("in use"), e.getMessage());
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> noneAbove(baseline));
  }

  @Test
  void shouldStopEveryThreadOfTheSecondWhenItsStateDirectoryIsInUse() throws Exception {
    try (ProcessorRuntime first = new ProcessorRuntime(config(0))) {
      Map<String, Long> baseline = threadsByPrefix();
      RuntimeException e = assertThrows(RuntimeException.class, () -> new ProcessorRuntime(config(0)));
      assertTrue(String.valueOf(e.getMessage()).contains("state"), e.toString());
      await().atMost(Duration.ofSeconds(30)).until(() -> noneAbove(baseline));
    }
  }

  @Test
  void shouldStopEveryThreadAndNameTheStoreWhenAStoreCannotBeOpenedAtStart() throws Exception {
    // a store RocksDB cannot open (its CURRENT file damaged, as by a disk fault): Streams opens the
    // stores of the state directory's tasks in start(), after the HTTP server and the clients exist
    Path store = Files.createDirectories(dir.resolve("state/start-failure/0_0/rocksdb/instance-series"));
    Files.writeString(store.resolve("CURRENT"), "damaged");
    Map<String, Long> baseline = threadsByPrefix();
    try (ProcessorRuntime runtime = new ProcessorRuntime(config(0))) {
      RuntimeException e = assertThrows(RuntimeException.class, runtime::start);
      assertTrue(e.getMessage().contains("Error opening store instance-series"), e.toString());
      await().atMost(Duration.ofSeconds(60)).until(() -> noneAbove(baseline));
    }
  }
}
