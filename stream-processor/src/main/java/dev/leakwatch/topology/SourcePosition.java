package dev.leakwatch.topology;

/**
 * Where an input record was read from.
 *
 * @param topic source topic, empty when unknown (e.g. punctuation)
 * @param partition source partition, -1 when unknown
 * @param offset source offset, -1 when unknown
 * @param timestamp the input record's timestamp, ms since the Unix epoch
 */
public record SourcePosition(String topic, int partition, long offset, long timestamp) {

  /** {@code topic/partition/offset}: the audit topic's value, unique per input record. */
  public String describe() {
    return topic + "/" + partition + "/" + offset;
  }
}
