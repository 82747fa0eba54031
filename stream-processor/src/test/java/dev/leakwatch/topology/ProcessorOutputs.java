package dev.leakwatch.topology;

import dev.leakwatch.schemas.avro.LeakSuspect;
import dev.leakwatch.schemas.serde.LeakwatchSerdes;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The output topics of one application as read_committed consumers see them (aborted
 * transactions of a killed instance never show): the audit and dead-letter topics, which together
 * account for every input record, and the suspect events.
 */
public final class ProcessorOutputs implements AutoCloseable {

  private final TopicReader audit;
  private final TopicReader deadLetters;
  private final TopicReader suspects;
  private final Deserializer<LeakSuspect> deserializer = LeakwatchSerdes.leakSuspect(Map.of(), false).deserializer();

  public ProcessorOutputs(String bootstrap, TopologyConfig topics) {
    this.audit = new TopicReader(bootstrap, topics.auditTopic());
    this.deadLetters = new TopicReader(bootstrap, topics.deadLetterTopic());
    this.suspects = new TopicReader(bootstrap, topics.suspectsTopic());
  }

  /** Reads what arrived; the input positions processed or dead-lettered so far. */
  public Set<Position> accounted() {
    Set<Position> out = new HashSet<>();
    audit.poll().forEach(r -> out.add(Position.parse(r.value())));
    deadLetters.poll().forEach(r -> out.add(Position.ofDeadLetter(r)));
    return out;
  }

  /**
   * Reads to the end of the audit and dead-letter topics as read_committed sees them: the input
   * positions every transaction committed so far accounts for, none missed to a slow fetch.
   */
  public Set<Position> accountedToEnd() {
    Set<Position> out = new HashSet<>();
    audit.pollToEnd().forEach(r -> out.add(Position.parse(r.value())));
    deadLetters.pollToEnd().forEach(r -> out.add(Position.ofDeadLetter(r)));
    return out;
  }

  /** Input positions in the audit topic, in read order, duplicates kept (without reading more). */
  public List<Position> processed() {
    return audit.records().stream().map(r -> Position.parse(r.value())).toList();
  }

  /** Input positions in the dead-letter topic, in read order, duplicates kept (without reading more). */
  public List<Position> deadLettered() {
    return deadLetters.records().stream().map(Position::ofDeadLetter).toList();
  }

  /** The dead-letter records read so far, in read order (without reading more). */
  public List<TopicReader.Read> deadLetterRecords() {
    return deadLetters.records();
  }

  /** Reads what arrived; every suspect event so far, in topic order per partition. */
  public List<LeakSuspect> suspectEvents() {
    return suspects.poll().stream().map(r -> deserializer.deserialize(r.topic(), r.valueBytes())).toList();
  }

  @Override
  public void close() {
    try (TopicReader a = audit; TopicReader d = deadLetters; TopicReader s = suspects) {
      deserializer.close();
    }
  }
}
