package dev.leakwatch.schemas.settings;

/** Kafka client settings the agent and the processor default differently from Kafka; a file's own setting wins. */
public final class KafkaClientDefaults {

  /**
   * {@code reconnect.backoff.max.ms}, the longest pause between two attempts to reach an
   * unreachable broker: 10 s, where Kafka's default is 1 s. Kafka's clients log a WARN line at every
   * failed attempt; at 1 s that is about 2 lines a second per client and broker for as long as it is
   * down (every agent and processor of a fleet at once). What waits meanwhile (profiles buffered in
   * the agent or in the profiles topic, a topic set-up asked again) loses nothing when a broker back
   * up is reached about 10 s later.
   */
  public static final int RECONNECT_BACKOFF_MAX_MS = 10_000;

  private KafkaClientDefaults() {}
}
