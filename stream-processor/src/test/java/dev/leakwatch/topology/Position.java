package dev.leakwatch.topology;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.RecordMetadata;

/** Where an input record sits: what the audit topic and the dead-letter headers name. */
public record Position(String topic, int partition, long offset) {

  public static Position of(RecordMetadata m) {
    return new Position(m.topic(), m.partition(), m.offset());
  }

  /** Parses an audit value, {@code topic/partition/offset}. */
  public static Position parse(String audit) {
    int b = audit.lastIndexOf('/');
    int a = audit.lastIndexOf('/', b - 1);
    return new Position(audit.substring(0, a), Integer.parseInt(audit.substring(a + 1, b)),
        Long.parseLong(audit.substring(b + 1)));
  }

  public static Position ofDeadLetter(TopicReader.Read r) {
    return new Position(header(r, DeadLetter.SOURCE_TOPIC), Integer.parseInt(header(r, DeadLetter.SOURCE_PARTITION)),
        Long.parseLong(header(r, DeadLetter.SOURCE_OFFSET)));
  }

  private static String header(TopicReader.Read r, String key) {
    return new String(r.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
  }
}
