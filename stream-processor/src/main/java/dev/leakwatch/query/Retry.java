package dev.leakwatch.query;

import java.util.function.Supplier;

/**
 * Bounded retry of answers that fail with a retryable {@link UnavailableException} (ownership
 * moving during a rebalance, a task restoring): a few attempts with a short, growing pause, after
 * which the last failure is thrown. Other failures are thrown at once.
 *
 * @param attempts total attempts, at least 1
 * @param backoffMs pause before the second attempt; the n-th retry waits n times as long
 */
public record Retry(int attempts, long backoffMs) {

  /** Three attempts, 200 ms then 400 ms apart: at most about 0.6 s of waiting. */
  public static final Retry DEFAULT = new Retry(3, 200);

  public Retry {
    if (attempts < 1 || backoffMs < 0) {
      throw new IllegalArgumentException("attempts must be >= 1 and backoffMs >= 0");
    }
  }

  public <T> T run(Supplier<T> answer) {
    for (int attempt = 1; ; attempt++) {
      try {
        return answer.get();
      } catch (UnavailableException e) {
        if (!e.retryable() || attempt >= attempts) {
          throw e;
        }
        pause(attempt * backoffMs, e);
      }
    }
  }

  private static void pause(long ms, UnavailableException cause) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw cause;
    }
  }
}
