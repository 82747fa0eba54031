package dev.leakwatch.agent.publish;

import dev.leakwatch.agent.buffer.Pending;
import dev.leakwatch.logging.RepeatedFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the agent's log bounded when Kafka refuses profiles for good (a topic whose {@code
 * max.message.bytes} is below the agent's profiles, a topic name the cluster refuses, a
 * serializer's failure): then it refuses every profile of every target, and a line per profile was
 * a line per target and round. The first refusal of an exception class is logged in full; later
 * ones as one line with their count at most a minute ({@link RepeatedFailures}), the count still
 * unlogged at {@link #close}. Each refused profile is still counted in {@code
 * leakwatch_agent_publish_failures_total{reason}} by the publisher. Logged under the publisher's
 * name, where these lines always were.
 */
final class RefusedSends {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaPublisher.class);

  private final RepeatedFailures repeated = new RepeatedFailures(System::nanoTime);

  /** A profile Kafka refused for good with {@code error}; called on the producer's thread. */
  void refused(Pending p, Exception error) {
    String kind = error.getClass().getName();
    long repeats = repeated.occurred(kind);
    if (repeats < 0) {
      LOG.error(
          "dropping profile {} captured {} ({} bytes): Kafka rejected it permanently: {} (later"
              + " profiles refused so are counted in one line a minute;"
              + " leakwatch_agent_publish_failures_total has each)",
          p.key(), p.envelope().getCaptureTime(), p.bytes(), error.toString());
    } else if (repeats > 0) {
      logCount(kind, repeats);
    }
  }

  /** Logs the refusals counted since the last line (called once no send can complete). */
  void close() {
    repeated.drain().forEach(RefusedSends::logCount);
  }

  private static void logCount(String kind, long repeats) {
    LOG.error("dropped {} more profiles that Kafka rejected permanently with {} since the last line", repeats, kind);
  }
}
