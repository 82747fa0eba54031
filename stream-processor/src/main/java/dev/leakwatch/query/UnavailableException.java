package dev.leakwatch.query;

import java.util.List;

/**
 * The answer cannot be given now, typically during a rebalance: the owner of a key or of some
 * partitions is unknown, unreachable, restoring or moving. Never answered partially; the caller
 * may retry. {@link #details()} names the partitions, hosts and reasons.
 */
public final class UnavailableException extends QueryException {

  private final boolean retryable;
  private final List<String> details;

  /**
   * @param message what could not be answered and why
   * @param retryable true when asking again soon may succeed (ownership moving, restoring); false
   *     for a persistent problem (a store error)
   * @param details one line per partition or host that failed
   */
  public UnavailableException(String message, boolean retryable, List<String> details) {
    super(message);
    this.retryable = retryable;
    this.details = List.copyOf(details);
  }

  /** A retryable failure with no more details than its message. */
  public UnavailableException(String message) {
    this(message, true, List.of());
  }

  public boolean retryable() {
    return retryable;
  }

  public List<String> details() {
    return details;
  }
}
