package dev.leakwatch.demo;

import java.time.Instant;

/**
 * Where a replay stands.
 *
 * @param offered captures handed to the publisher so far
 * @param total captures in the plan
 * @param published captures Kafka has acknowledged so far
 * @param captureTime published capture time of the latest capture offered
 */
public record ReplayProgress(long offered, long total, long published, Instant captureTime) {

  /** Share of the plan offered, 0..100. */
  public int percent() {
    return total == 0 ? 100 : (int) (offered * 100 / total);
  }
}
