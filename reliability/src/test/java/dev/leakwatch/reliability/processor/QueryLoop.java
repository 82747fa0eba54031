package dev.leakwatch.reliability.processor;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Asks one instance the same questions every 100 ms, on its own thread, as a dashboard would:
 * each question is retried on {@code 503} for up to {@link QueryAnswers#ANSWER_BOUND}. Records
 * every round, how many answers needed retries, and every question that got no answer.
 */
final class QueryLoop implements AutoCloseable {

  private final AtomicInteger rounds = new AtomicInteger();
  private final AtomicInteger retried = new AtomicInteger();
  private final List<String> unanswered = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "query-loop");
    t.setDaemon(true);
    return t;
  });

  QueryLoop(int port, List<String> questions) {
    scheduler.scheduleWithFixedDelay(() -> {
      for (String q : questions) {
        try {
          if (QueryAnswers.once(port, q).status() == 503) {
            retried.incrementAndGet();
          }
          int status = QueryAnswers.ask(port, q).status();
          if (status != 200) {
            unanswered.add("round " + rounds.get() + ": " + q + " -> " + status);
          }
        } catch (RuntimeException e) {
          unanswered.add("round " + rounds.get() + ": " + q + " -> " + e);
        }
      }
      rounds.incrementAndGet();
    }, 0, 100, TimeUnit.MILLISECONDS);
  }

  /** Rounds completed so far (every question answered or given up on). */
  int rounds() {
    return rounds.get();
  }

  /** Questions that first got a 503 and were asked again. */
  int retried() {
    return retried.get();
  }

  /** Questions that got no 200 within the bound. */
  List<String> unanswered() {
    return List.copyOf(unanswered);
  }

  @Override
  public void close() throws InterruptedException {
    scheduler.shutdown();
    if (!scheduler.awaitTermination(QueryAnswers.ANSWER_BOUND.toMillis() * 2, TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("query loop did not stop");
    }
  }
}
