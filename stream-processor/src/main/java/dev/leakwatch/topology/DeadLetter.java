package dev.leakwatch.topology;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Why an input record went to the dead-letter topic, and the headers that say so.
 *
 * <p>The dead-letter record carries the input's key and value bytes unchanged (the value left out,
 * null, when it is over {@code maxEnvelopeBytes}: stage {@code size}) and every original header
 * (key, headers and value all left out when key and headers pass {@link
 * DecodeProcessor#MAX_KEY_AND_HEADER_BYTES}: stage {@code size}), plus these (UTF-8 strings):
 * <ul>
 *   <li>{@value #REASON}: the precise message (what, where, which limit), its first 4,096 characters
 *   <li>{@value #ERROR_CLASS}: the exception class that rejected the record
 *   <li>{@value #STAGE}: {@code size}, {@code avro}, {@code validation}, {@code pprof} or {@code processing}
 *   <li>{@value #SOURCE_TOPIC}, {@value #SOURCE_PARTITION}, {@value #SOURCE_OFFSET},
 *       {@value #SOURCE_TIMESTAMP} (ms since the epoch): where the input record was
 * </ul>
 *
 * @param stage which check failed
 * @param reason precise message
 * @param errorClass fully qualified class name of the exception that rejected the record
 */
public record DeadLetter(Stage stage, String reason, String errorClass) {

  public static final String REASON = "leakwatch.dlq.reason";
  public static final String ERROR_CLASS = "leakwatch.dlq.error.class";
  public static final String STAGE = "leakwatch.dlq.stage";
  public static final String SOURCE_TOPIC = "leakwatch.dlq.source.topic";
  public static final String SOURCE_PARTITION = "leakwatch.dlq.source.partition";
  public static final String SOURCE_OFFSET = "leakwatch.dlq.source.offset";
  public static final String SOURCE_TIMESTAMP = "leakwatch.dlq.source.timestamp";

  /** The check that rejected a record, in the order they run. */
  public enum Stage {
    /** The value is null or larger than the configured envelope limit. */
    SIZE,
    /** The value is not a ProfileEnvelope in a known framing and schema. */
    AVRO,
    /** The envelope's fields are missing, inconsistent with the key, or out of range. */
    VALIDATION,
    /** The profile bytes are not a valid pprof profile within the decode limits. */
    PPROF,
    /**
     * A later stage threw an exception no check foresaw (a bug): see {@link ProcessingFailureHandler}.
     * The record is the stage's source record, which for the per-service stages is the repartitioned
     * report, not the input.
     */
    PROCESSING;

    String header() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * Longest reason kept, in chars (at most 12 KiB of UTF-8). Messages may quote the input (a record key
   * that does not match, a profile's sample types), and a dead letter must fit the record the processor
   * writes: its input, at most that record, plus these headers.
   */
  static final int MAX_REASON_CHARS = 4096;

  public DeadLetter {
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(errorClass, "errorClass");
    if (reason.length() > MAX_REASON_CHARS) {
      int cut = MAX_REASON_CHARS - (Character.isHighSurrogate(reason.charAt(MAX_REASON_CHARS - 1)) ? 1 : 0);
      reason = reason.substring(0, cut) + "... (" + (reason.length() - cut) + " more characters)";
    }
  }

  /** A dead letter for an exception, keeping its class and message. */
  static DeadLetter of(Stage stage, Exception e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new DeadLetter(stage, message, e.getClass().getName());
  }

  /** The original headers plus this dead letter's, as a new header set (the input's is left alone). */
  Headers headers(Headers original, SourcePosition source) {
    Headers out = new RecordHeaders(original.toArray());
    put(out, REASON, reason);
    put(out, ERROR_CLASS, errorClass);
    put(out, STAGE, stage.header());
    put(out, SOURCE_TOPIC, source.topic());
    put(out, SOURCE_PARTITION, Integer.toString(source.partition()));
    put(out, SOURCE_OFFSET, Long.toString(source.offset()));
    put(out, SOURCE_TIMESTAMP, Long.toString(source.timestamp()));
    return out;
  }

  private static void put(Headers headers, String key, String value) {
    headers.remove(key);
    headers.add(key, value.getBytes(StandardCharsets.UTF_8));
  }
}
