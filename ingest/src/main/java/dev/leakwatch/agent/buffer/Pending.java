package dev.leakwatch.agent.buffer;

import dev.leakwatch.schemas.avro.ProfileEnvelope;
import java.util.Objects;

/**
 * A profile waiting to be published.
 *
 * @param seq position in arrival order, assigned by the buffer; a re-queued record keeps it so it
 *     returns to its original place
 * @param key the Kafka record key ({@code service/instance})
 * @param envelope the record value
 * @param bytes the size charged against the buffer's byte bound (the profile body length)
 */
public record Pending(long seq, String key, ProfileEnvelope envelope, long bytes) {
  public Pending {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(envelope, "envelope");
  }
}
