package dev.leakwatch.bench;

import java.util.HashMap;
import java.util.Map;

/**
 * Matches each published record with the moment its effect was seen downstream, whichever of the
 * two is reported first, and records the latency in between.
 *
 * <p>The key is whatever identifies the record on both sides: for the audit topic the input's
 * {@code topic/partition/offset} (known to the publisher only when the broker acknowledges it, which
 * can come after the processor has already processed it), for suspect events the service and the
 * capture time that triggered them. Only records published while {@link #measure(boolean)} is on
 * are recorded. Thread-safe.
 */
public final class LatencyTracker {

  /** Marks a published record that does not count (sent outside the measurement). */
  private static final long UNCOUNTED = Long.MIN_VALUE;

  private final Latencies latencies = new Latencies();
  private final Map<String, Long> published = new HashMap<>();
  private final Map<String, Long> seen = new HashMap<>();
  private int outstanding;
  private volatile boolean measuring;

  /** Whether records published from now on count. */
  public void measure(boolean on) {
    measuring = on;
  }

  public boolean measuring() {
    return measuring;
  }

  /**
   * A record was published at {@code sendNanos} ({@link System#nanoTime()}).
   *
   * @param counted whether it was published while measuring
   */
  public synchronized void published(String key, long sendNanos, boolean counted) {
    Long at = seen.remove(key);
    if (at == null) {
      published.put(key, counted ? sendNanos : UNCOUNTED);
      outstanding += counted ? 1 : 0;
    } else if (counted) {
      latencies.add(at - sendNanos);
    }
  }

  /** The record's effect was seen downstream at {@code nowNanos}. */
  public synchronized void seen(String key, long nowNanos) {
    Long sent = published.remove(key);
    if (sent == null) {
      seen.put(key, nowNanos);
    } else if (sent != UNCOUNTED) {
      latencies.add(nowNanos - sent);
      outstanding--;
    }
  }

  /** Counted records published but not seen yet. */
  public synchronized int outstanding() {
    return outstanding;
  }

  public Latencies latencies() {
    return latencies;
  }
}
