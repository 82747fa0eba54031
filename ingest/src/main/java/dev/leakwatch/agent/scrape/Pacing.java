package dev.leakwatch.agent.scrape;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * When a target's next round runs: the interval with jitter while healthy, exponential backoff
 * after failures, and a spread-out first round.
 *
 * <p>After {@code n} consecutive failed rounds the wait is {@code interval * 2^n}, capped at
 * {@code max(backoffMax, interval)}; a successful round returns to the interval. Every delay is
 * multiplied by a random factor in {@code [1 - jitter, 1 + jitter]}; the first round starts at a
 * uniformly random point of the first interval. Together these keep a large fleet's scrapes from
 * firing in lockstep, and a failing target from being retried in a tight loop.
 */
public final class Pacing {
  private static final int MAX_DOUBLINGS = 30;
  private final double jitter;
  private final Duration backoffMax;
  private final DoubleSupplier random;

  /**
   * @param jitter fraction in {@code [0, 0.5]}
   * @param backoffMax cap of the backoff (the interval is used if larger)
   * @param random uniform values in {@code [0, 1)}
   */
  public Pacing(double jitter, Duration backoffMax, DoubleSupplier random) {
    if (jitter < 0 || jitter > 0.5) {
      throw new IllegalArgumentException("jitter must be in [0, 0.5]: " + jitter);
    }
    this.jitter = jitter;
    this.backoffMax = backoffMax;
    this.random = random;
  }

  /** Pacing with {@link ThreadLocalRandom}. */
  public Pacing(double jitter, Duration backoffMax) {
    this(jitter, backoffMax, () -> ThreadLocalRandom.current().nextDouble());
  }

  /** Delay before a target's first round: a random point in {@code [0, interval)}. */
  public Duration firstDelay(Duration interval) {
    return scale(interval, random.getAsDouble());
  }

  /**
   * Delay before the next round.
   *
   * @param consecutiveFailures failed rounds in a row so far (0 when the last round succeeded)
   */
  public Duration nextDelay(Duration interval, int consecutiveFailures) {
    return withJitter(backoff(interval, consecutiveFailures));
  }

  /** The un-jittered wait after {@code consecutiveFailures} failed rounds. */
  public Duration backoff(Duration interval, int consecutiveFailures) {
    if (consecutiveFailures <= 0) {
      return interval;
    }
    Duration cap = backoffMax.compareTo(interval) > 0 ? backoffMax : interval;
    int doublings = Math.min(consecutiveFailures, MAX_DOUBLINGS);
    double factor = Math.pow(2, doublings);
    if (interval.toNanos() * factor >= cap.toNanos()) {
      return cap;
    }
    return scale(interval, factor);
  }

  /** {@code d} multiplied by a random factor in {@code [1 - jitter, 1 + jitter]}. */
  public Duration withJitter(Duration d) {
    if (jitter == 0) {
      return d;
    }
    return scale(d, 1 + jitter * (2 * random.getAsDouble() - 1));
  }

  private static Duration scale(Duration d, double factor) {
    return Duration.ofNanos((long) (d.toNanos() * factor));
  }
}
