package dev.leakwatch.demo;

/**
 * How a replay ended.
 *
 * @param total captures in the plan
 * @param offered captures handed to the publisher (less than {@code total} when stopped early)
 * @param published captures acknowledged by Kafka
 * @param failed captures Kafka rejected permanently (each logged with its key and reason)
 * @param shiftMs what was added to every recorded capture time (0 when kept as recorded)
 * @param stopped whether the replay was stopped before offering every capture
 * @param stalled whether the replay gave up because Kafka settled nothing for the delivery grace
 *     while captures waited
 */
public record ReplayResult(long total, long offered, long published, long failed, long shiftMs, boolean stopped,
    boolean stalled) {

  /** Captures offered but neither acknowledged nor rejected before the delivery grace ran out. */
  public long undelivered() {
    return Math.max(0, offered - published - failed);
  }

  /** Every capture of the plan was acknowledged by Kafka. */
  public boolean complete() {
    return published == total;
  }
}
