package dev.leakwatch.topology;

import java.io.IOException;
import java.io.UncheckedIOException;
import dev.leakwatch.logging.RepeatedFailures;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.rocksdb.RocksDBException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the processor does when one of its stages throws an exception no check foresaw — a bug that
 * some input or stored state triggers: the record goes to the dead-letter topic (stage {@code
 * processing}) and the stream thread goes on with the next record, instead of stopping at the same
 * record after every restart. Installed by {@link LeakwatchTopology#streamsSettings}; Kafka Streams
 * instantiates it and hands it its configuration ({@link #configure}).
 *
 * <p>Failures of the processor's surroundings still stop it, because skipping would lose good data:
 * anything caused by Kafka or Kafka Streams (a {@link KafkaException}, e.g. a state store that cannot
 * be written, a fenced producer), by RocksDB, by I/O ({@link IOException}, {@link
 * UncheckedIOException}, e.g. a full disk), by an unreachable schema registry ({@link
 * RegistryUnavailableException}), an interrupt, or a JVM {@link Error}, found anywhere in the cause
 * chain. So do checked exceptions, which no stage declares.
 *
 * <p>The dead letter is the task's source record as read (its raw key and value bytes and headers),
 * with the headers of {@link DeadLetter} and {@value #NODE}, the stage that threw. For a failure in
 * the per-instance stage the source is the input topic; for the per-service stages it is the
 * repartition topic (a {@link ServiceReport}). The failing stage keeps what it wrote to its stores
 * before it threw (Kafka Streams does not roll back a record's partial work), and stages that do
 * not depend on it (the audit, a sibling per-service stage) have processed the record: a record
 * dead-lettered at stage {@code processing} may also appear in the audit topic.
 *
 * <p>A punctuation (a stream-time sweep or tick) that throws such an exception is logged, counted
 * and skipped: the next one runs as scheduled.
 *
 * <p>The first failure of a stage with an exception class is logged with its stack trace; later ones
 * are counted in one line a minute ({@link RepeatedFailures}), each still counted and dead-lettered.
 * The count of failures that stopped within the minute is logged when the input stage's tasks close
 * ({@link #logUnlogged}): the handler itself is never closed.
 */
public final class ProcessingFailureHandler implements ProcessingExceptionHandler {

  /** Configuration key: the dead-letter topic (a String). */
  public static final String DEAD_LETTER_TOPIC = "leakwatch.dead.letter.topic";
  /** Configuration key: the {@link TopologyObserver} told of each failure (optional object). */
  public static final String OBSERVER = "leakwatch.topology.observer";
  /** Dead-letter header: the name of the topology node (stage) that threw. */
  public static final String NODE = "leakwatch.dlq.node";
  /**
   * Configuration key: the processor's {@link RepeatedFailures} (an object), shared by every handler
   * Kafka Streams makes and by the stage that logs what is left of it at close.
   */
  static final String REPEATED = "leakwatch.repeated.failures";

  private static final Logger LOG = LoggerFactory.getLogger(ProcessingFailureHandler.class);
  // Cause chains are short; the bound only guards against a pathological (or cyclic) one.
  private static final int MAX_CAUSE_DEPTH = 32;

  private String deadLetterTopic;
  /** One stack trace per stage and exception class, then a count a minute: a bug every record hits. */
  private RepeatedFailures repeated = new RepeatedFailures(System::nanoTime);
  private TopologyObserver observer = TopologyObserver.NONE;

  /** For Kafka Streams, which calls {@link #configure} next. */
  public ProcessingFailureHandler() {}

  @Override
  public void configure(Map<String, ?> configs) {
    Object topic = configs.get(DEAD_LETTER_TOPIC);
    if (!(topic instanceof String s) || s.isEmpty()) {
      throw new IllegalArgumentException(DEAD_LETTER_TOPIC + " must name the dead-letter topic, was " + topic);
    }
    this.deadLetterTopic = s;
    Object o = configs.get(OBSERVER);
    this.observer = o instanceof TopologyObserver t ? t : TopologyObserver.NONE;
    if (configs.get(REPEATED) instanceof RepeatedFailures r) {
      this.repeated = r;
    }
  }

  @Override
  public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
    Objects.requireNonNull(deadLetterTopic, "configure() was not called");
    String node = context.processorNodeId();
    String where = context.topic() == null ? "task " + context.taskId()
        : context.topic() + "/" + context.partition() + "/" + context.offset();
    if (!isProductFailure(exception)) {
      LOG.error("stage {} failed at {} for a reason outside Leakwatch; stopping the stream thread", node, where,
          exception);
      return Response.fail();
    }
    boolean punctuation = record == null;
    observer.processingFailed(node, !punctuation);
    long repeats = repeated.occurred((punctuation ? "punctuation of stage " : "stage ") + node + " threw "
        + exception.getClass().getName());
    if (repeats > 0) {
      logRepeats((punctuation ? "punctuation of stage " : "stage ") + node + " threw "
          + exception.getClass().getName(), repeats);
    }
    if (punctuation) {
      if (repeats < 0) {
        LOG.error("BUG: punctuation of stage {} (task {}) threw; skipped until its next run", node,
            context.taskId(), exception);
      }
      return Response.resume();
    }
    if (repeats < 0) {
      LOG.error("BUG: stage {} threw at {}; the record goes to the dead letters and processing goes on", node,
          where, exception);
    }
    return Response.resume(List.of(deadLetter(context, node, exception)));
  }

  private static void logRepeats(String kind, long repeats) {
    LOG.error("BUG: {} again, {} times since its last line (its stack trace was logged the first time; a stage's"
        + " records went to the dead letters, a punctuation was skipped)", kind, repeats);
  }

  /**
   * Logs the failures that {@code configs}' {@link RepeatedFailures} counted but no line reported yet
   * (they stopped within the minute of the last line), once: called as the input stage's tasks close.
   */
  static void logUnlogged(Map<String, ?> configs) {
    if (configs.get(REPEATED) instanceof RepeatedFailures r) {
      r.drain().forEach(ProcessingFailureHandler::logRepeats);
    }
  }

  private ProducerRecord<byte[], byte[]> deadLetter(ErrorHandlerContext context, String node, Exception e) {
    String message = e.getMessage() == null ? "" : ": " + e.getMessage();
    DeadLetter letter = new DeadLetter(DeadLetter.Stage.PROCESSING,
        "stage " + node + " failed unexpectedly (" + e.getClass().getSimpleName() + message
            + "); a Leakwatch bug, the stack trace is in this processor's log (logged the first time the stage threw"
            + " it)", e.getClass().getName());
    SourcePosition source = new SourcePosition(context.topic() == null ? "" : context.topic(),
        context.partition(), context.offset(), context.timestamp());
    Headers headers = letter.headers(context.headers(), source);
    headers.remove(NODE);
    headers.add(NODE, node.getBytes(StandardCharsets.UTF_8));
    return new ProducerRecord<>(deadLetterTopic, null, null, context.sourceRawKey(), context.sourceRawValue(),
        headers);
  }

  /**
   * Whether {@code e} is Leakwatch's own failure (dead-letter the record and go on) rather than
   * its surroundings' (stop): see the class comment.
   */
  static boolean isProductFailure(Exception e) {
    if (!(e instanceof RuntimeException)) {
      return false;
    }
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Throwable t = e;
    for (int depth = 0; t != null && depth < MAX_CAUSE_DEPTH && seen.add(t); depth++, t = t.getCause()) {
      if (t instanceof KafkaException || t instanceof RegistryUnavailableException || t instanceof IOException
          || t instanceof UncheckedIOException || t instanceof RocksDBException || t instanceof InterruptedException
          || t instanceof Error) {
        return false;
      }
    }
    return true;
  }

  /** Kafka Streams settings that install this handler for {@code deadLetterTopic}. */
  static Map<String, Object> settings(String deadLetterTopic, TopologyObserver observer) {
    // The topology has no global stores; enabling the handler there too only silences Kafka's
    // warning that it is off for the global thread.
    return Map.of(
        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, ProcessingFailureHandler.class.getName(),
        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true,
        DEAD_LETTER_TOPIC, deadLetterTopic,
        OBSERVER, observer,
        REPEATED, new RepeatedFailures(System::nanoTime));
  }
}
