package dev.leakwatch.cli;

import dev.leakwatch.topology.DeadLetter;
import dev.leakwatch.topology.ProcessingFailureHandler;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * One record of the dead-letter topic as the processor wrote it (docs/PROCESSOR.md "Topics"): its
 * {@code leakwatch.dlq.*} headers read, and the one line {@code ./leakwatch dead-letters} prints.
 * A header that is missing (a record some other writer put on the topic) reads as null.
 */
record DeadLetterView(ConsumerRecord<byte[], byte[]> record, String stage, String node, String sourceTopic,
    String sourcePartition, String sourceOffset, Long sourceTimestamp, String reason) {

  /** Prefix of the headers the processor adds; the redrive drops them, keeping the input's own. */
  static final String HEADER_PREFIX = "leakwatch.dlq.";

  static DeadLetterView of(ConsumerRecord<byte[], byte[]> r) {
    Headers h = r.headers();
    String timestamp = text(h, DeadLetter.SOURCE_TIMESTAMP);
    Long sourceTimestamp;
    try {
      sourceTimestamp = timestamp == null ? null : Long.valueOf(timestamp.trim());
    } catch (NumberFormatException e) {
      sourceTimestamp = null;
    }
    return new DeadLetterView(r, text(h, DeadLetter.STAGE), text(h, ProcessingFailureHandler.NODE),
        text(h, DeadLetter.SOURCE_TOPIC), text(h, DeadLetter.SOURCE_PARTITION), text(h, DeadLetter.SOURCE_OFFSET),
        sourceTimestamp, text(h, DeadLetter.REASON));
  }

  /**
   * {@code TIME key=K stage=S[ node=N] source=TOPIC/PARTITION@OFFSET N bytes|no value reason: R}; the
   * time is the dead letter's record time in UTC, and the reason is made one line (line breaks and
   * other control characters become spaces) but never shortened.
   */
  String line() {
    StringBuilder b = new StringBuilder()
        .append(Instant.ofEpochMilli(record.timestamp()))
        .append(" key=").append(record.key() == null ? "-" : oneLine(new String(record.key(), StandardCharsets.UTF_8)))
        .append(" stage=").append(orDash(stage));
    if (node != null) {
      b.append(" node=").append(oneLine(node));
    }
    b.append(" source=").append(orDash(sourceTopic)).append('/').append(orDash(sourcePartition))
        .append('@').append(orDash(sourceOffset))
        .append(' ').append(record.value() == null ? "no value" : record.value().length + " bytes")
        .append(" reason: ").append(orDash(reason));
    return b.toString();
  }

  /** The record's headers without the processor's {@code leakwatch.dlq.*} ones, in their order. */
  Headers originalHeaders() {
    Headers out = new RecordHeaders();
    for (Header h : record.headers()) {
      if (!h.key().startsWith(HEADER_PREFIX)) {
        out.add(h.key(), h.value());
      }
    }
    return out;
  }

  private static String orDash(String s) {
    return s == null ? "-" : oneLine(s);
  }

  private static String oneLine(String s) {
    return s.replaceAll("\\p{Cntrl}+", " ");
  }

  private static String text(Headers headers, String key) {
    Header h = headers.lastHeader(key);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
