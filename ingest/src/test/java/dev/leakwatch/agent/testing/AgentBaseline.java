package dev.leakwatch.agent.testing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.agent.Agent;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.File;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a running agent holds that churn could leak, counted (never timed): its meters, its own
 * ({@code leakwatch-}) threads and this JVM's open file descriptors. Take it once the agent has
 * scraped a first target, so that what a first round starts for good (the scrape thread, a
 * kept-alive connection) is in it.
 */
public record AgentBaseline(int meters, Map<String, Integer> threads, int openFiles) {

  /**
   * The {@code kafka:} and {@code scrape:} sections of a churn test's agent: Kafka unreachable (the
   * buffer keeps the newest profiles), a round every second without jitter, {@code maxConcurrent}
   * rounds at once (so that at most that many connections are kept alive).
   */
  public static String churnConfig(int maxConcurrent) {
    return TestConfigs.kafka(TestConfigs.unreachableBootstrap())
        + "scrape:\n  interval: 1s\n  backoffMax: 1s\n  jitter: 0\n  maxConcurrent: " + maxConcurrent + "\n";
  }

  public static AgentBaseline of(Agent agent) {
    return new AgentBaseline(
        agent.metrics().registry().getMeters().size(), leakwatchThreads(), countOpenFiles());
  }

  /**
   * Waits until {@code agent}, with no target left, is back to this baseline: no target, meter,
   * series ({@code instancePrefix}) or failing count of a removed target, no more threads of each
   * name (one of an earlier test's agent may end meanwhile), and at most {@code keptAlive} more
   * connections open (two descriptors each: a fixture's end is in this JVM too; where {@code
   * /proc/self/fd} does not exist, not checked).
   */
  public void awaitReturned(Agent agent, Http http, String instancePrefix, int keptAlive) {
    MeterRegistry registry = agent.metrics().registry();
    await().until(() -> Http.json(http.get("/targets")).size() == 0);
    assertEquals(0, registry.get("leakwatch.agent.targets").gauge().value());
    // a removed target's round in flight ends on its own (at most its timeout)
    await().untilAsserted(() -> {
      assertEquals(meters, registry.getMeters().size(), "no meter of a removed target left");
      assertEquals(0, registry.get("leakwatch.agent.targets.failing").gauge().value());
      leakwatchThreads().forEach((name, n) ->
          assertTrue(n <= threads.getOrDefault(name, 0), name + ": " + n + ", before " + threads));
    });
    assertFalse(http.get("/metrics").body().contains(instancePrefix), "no series of a removed target");
    if (openFiles >= 0) {
      await().until(() -> countOpenFiles() <= openFiles + 2 * keptAlive);
    }
  }

  private static Map<String, Integer> leakwatchThreads() {
    Map<String, Integer> out = new TreeMap<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.isAlive() && t.getName().startsWith("leakwatch-")) {
        out.merge(t.getName(), 1, Integer::sum);
      }
    }
    return out;
  }

  private static int countOpenFiles() {
    String[] fds = new File("/proc/self/fd").list();
    return fds == null ? -1 : fds.length;
  }
}
