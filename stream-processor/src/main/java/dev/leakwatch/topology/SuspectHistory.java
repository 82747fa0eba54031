package dev.leakwatch.topology;

import dev.leakwatch.schemas.avro.LeakSuspect;
import dev.leakwatch.schemas.serde.LeakwatchSerdes;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Values of the {@code suspect-history} store: each {@link LeakSuspect} event in Avro single-object
 * encoding with the bundled schemas, whatever framing the suspects topic uses (a registry must not be
 * needed to read local state). Keyed by service; the window start is the event's {@code detectedAt}
 * (ms since the epoch); duplicates are kept, so one service has one entry per event. Thread-safe.
 */
public final class SuspectHistory {

  /** Pseudo-topic name given to the serde (single-object encoding does not use it). */
  private static final String TOPIC = TopologyNames.SUSPECT_HISTORY_STORE;
  private static final Serializer<LeakSuspect> SERIALIZER =
      LeakwatchSerdes.leakSuspect(Map.of(), false).serializer();
  private static final Deserializer<LeakSuspect> DESERIALIZER =
      LeakwatchSerdes.leakSuspect(Map.of(), false).deserializer();

  private SuspectHistory() {}

  /** The stored bytes of an event. */
  public static byte[] encode(LeakSuspect event) {
    return SERIALIZER.serialize(TOPIC, event);
  }

  /**
   * The event stored as {@code bytes}.
   *
   * @throws org.apache.kafka.common.errors.SerializationException when the bytes are not an event
   */
  public static LeakSuspect decode(byte[] bytes) {
    return DESERIALIZER.deserialize(TOPIC, bytes);
  }
}
