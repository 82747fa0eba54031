package dev.leakwatch.bench;

import java.util.Arrays;

/** Recorded latencies (ns) and their percentiles. Thread-safe. */
public final class Latencies {

  private long[] values = new long[1024];
  private int size;

  public synchronized void add(long nanos) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = nanos;
  }

  public synchronized int count() {
    return size;
  }

  /**
   * The {@code p}-th percentile (0 < p <= 100, nearest rank), in ms; NaN when nothing was recorded.
   */
  public synchronized double percentileMs(double p) {
    if (size == 0) {
      return Double.NaN;
    }
    long[] sorted = Arrays.copyOf(values, size);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * size);
    return sorted[Math.max(0, Math.min(size - 1, rank - 1))] / 1e6;
  }

  /** The largest value, ms; NaN when nothing was recorded. */
  public double maxMs() {
    return percentileMs(100);
  }
}
