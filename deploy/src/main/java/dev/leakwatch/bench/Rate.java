package dev.leakwatch.bench;

/**
 * A measured throughput: how many profiles (and compressed bytes) in how much wall-clock and CPU
 * time.
 *
 * @param profiles profiles handled in the measurement
 * @param gzBytes their gzip'd size, bytes
 * @param wallNanos wall-clock duration of the measurement, ns
 * @param cpuNanos CPU time spent on them, ns (the measuring thread's or the processes' as stated
 *     where the rate is reported); -1 when unknown
 */
public record Rate(long profiles, long gzBytes, long wallNanos, long cpuNanos) {

  /** Profiles per wall-clock second. */
  public double perSecond() {
    return wallNanos <= 0 ? 0 : profiles * 1e9 / wallNanos;
  }

  /** Profiles per CPU second; NaN when the CPU time is unknown. */
  public double perCpuSecond() {
    return cpuNanos <= 0 ? Double.NaN : profiles * 1e9 / cpuNanos;
  }

  /** Compressed input per wall-clock second, MB (10^6 bytes). */
  public double mbPerSecond() {
    return wallNanos <= 0 ? 0 : gzBytes * 1e3 / wallNanos;
  }
}
