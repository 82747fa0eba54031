package dev.leakwatch.agent.scrape;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A bug in a scheduled task (a target's round on the scrape scheduler) throws at every run: for
 * 10,000 targets, a stack trace per target and round. The first failure of a kind (class and
 * throwing frame) is logged with its trace, the same again counted (a line a minute, the rest at
 * close); another kind gets its own trace. The thread goes on running tasks.
 */
class ExecutorSchedulerFailureLoggingTest {
  private static final int TASKS = 200;

  @Test
  void shouldLogABugsTraceOnceAndCountItsRepeatsWhenEveryTaskThrows() {
    PrintStream stderr = System.err; // where slf4j-simple writes
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    AtomicInteger ran = new AtomicInteger();
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    try {
      ExecutorScheduler scheduler = new ExecutorScheduler("test-scheduler");
      try {
        for (int i = 0; i < TASKS; i++) {
          scheduler.schedule(Duration.ZERO, () -> {
            ran.incrementAndGet();
            throw new IllegalStateException("a bug in a round");
          });
        }
        scheduler.schedule(Duration.ZERO, () -> {
          ran.incrementAndGet();
          throw new ArithmeticException("another bug");
        });
        await().atMost(Duration.ofMinutes(1)).until(() -> ran.get() == TASKS + 1);
      } finally {
        scheduler.close();
      }
    } finally {
      System.setErr(stderr);
    }
    List<String> lines = log.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals(2, lines.stream().filter(l -> l.contains("scheduled task failed (")).count(),
        "one trace per kind: " + lines.size() + " lines");
    assertEquals(1, lines.stream().filter(l -> l.contains("a bug in a round")).count(),
        "the repeated bug's message once, with its trace");
    List<String> counts = lines.stream().filter(l -> l.contains("more times")).toList();
    assertEquals(1, counts.size(), "the repeats in one line at close: " + counts);
    assertTrue(counts.get(0).contains((TASKS - 1) + " more times: java.lang.IllegalStateException at "),
        counts.get(0));
    assertTrue(lines.size() < 60, "bounded: " + lines.size() + " lines");
  }
}
