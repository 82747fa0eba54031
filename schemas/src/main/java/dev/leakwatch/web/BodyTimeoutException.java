package dev.leakwatch.web;

import java.io.IOException;
import java.time.Duration;

/**
 * A request body did not arrive completely within the {@link BodyDeadline}: the server answers
 * 408 and closes the connection.
 */
public final class BodyTimeoutException extends IOException {
  private static final long serialVersionUID = 1L;

  private final Duration limit;

  public BodyTimeoutException(Duration limit) {
    super("the request body did not arrive within " + limit.toMillis() + " ms (limit bodyTimeout="
        + limit.toMillis() + "ms)");
    this.limit = limit;
  }

  /** The bound that was passed. */
  public Duration limit() {
    return limit;
  }

  /**
   * The body timeout behind {@code t}, if any: servlet layers wrap read failures, so the cause
   * chain is searched.
   *
   * @return null when {@code t} is not a body timeout
   */
  public static BodyTimeoutException in(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof BodyTimeoutException b) {
        return b;
      }
    }
    return null;
  }
}
