package dev.leakwatch.topology;

import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * First stage: decodes each input record's bytes. A usable profile goes on keyed by
 * {@code service/instance} with its capture time as the record timestamp (so every later stage
 * runs on capture time, replays included); a rejected one goes on with the dead-letter headers
 * added, its original timestamp and the input bytes inside. Capture times are also bounded by the
 * processor's clock ({@link ProcessorContext#currentSystemTimeMs}, which a test driver mocks).
 */
final class DecodeProcessor implements Processor<byte[], byte[], String, DecodeOutcome> {

  private final EnvelopeDecoder decoder;
  private final TopologyObserver observer;
  private ProcessorContext<String, DecodeOutcome> context;
  private Map<String, Object> appConfigs = Map.of();

  DecodeProcessor(EnvelopeDecoder decoder, TopologyObserver observer) {
    this.decoder = decoder;
    this.observer = observer;
  }

  @Override
  public void init(ProcessorContext<String, DecodeOutcome> context) {
    this.context = context;
    this.appConfigs = context.appConfigs();
  }

  /**
   * Logs the stage failures counted but not yet logged ({@link ProcessingFailureHandler#logUnlogged}):
   * Kafka Streams closes every task, so this, when the processor closes (and at a rebalance, when the
   * line merely comes early); the failure handler has no close of its own.
   */
  @Override
  public void close() {
    ProcessingFailureHandler.logUnlogged(appConfigs);
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    SourcePosition source = context.recordMetadata()
        .map(m -> new SourcePosition(m.topic(), m.partition(), m.offset(), record.timestamp()))
        .orElseGet(() -> new SourcePosition("", -1, -1, record.timestamp()));
    long started = System.nanoTime();
    long keyAndHeaders = keyAndHeaderBytes(record);
    DecodeOutcome outcome = keyAndHeaders > MAX_KEY_AND_HEADER_BYTES
        ? oversizedKeyOrHeaders(record, keyAndHeaders, source)
        : decoder.decode(record.key(), record.value(), source, context.currentSystemTimeMs());
    long nanos = System.nanoTime() - started;
    if (outcome instanceof DecodeOutcome.Decoded d) {
      DecodedProfile p = d.profile();
      observer.profileDecoded(p.type().name().toLowerCase(Locale.ROOT), nanos);
      context.forward(new Record<>(p.instanceKey(), outcome, p.captureMs(), record.headers()));
    } else {
      DecodeOutcome.Rejected r = (DecodeOutcome.Rejected) outcome;
      observer.profileRejected(r.deadLetter().stage().header(), nanos);
      Headers original = keyAndHeaders > MAX_KEY_AND_HEADER_BYTES ? new RecordHeaders() : record.headers();
      context.forward(new Record<String, DecodeOutcome>(null, outcome, record.timestamp(),
          r.deadLetter().headers(original, source)));
    }
  }

  /**
   * A dead letter carries the input's key and headers besides a value of at most {@code
   * maxEnvelopeBytes}, in a record with 1 MiB of room beyond that ({@code ProcessorConfig}): an input
   * whose key and headers pass this many bytes is dead-lettered without them, or its dead letter could
   * be refused and stop the pipeline at that input. A legal key ({@code service/instance}) is under 2 KiB.
   */
  static final int MAX_KEY_AND_HEADER_BYTES = 512 << 10;

  private static long keyAndHeaderBytes(Record<byte[], byte[]> record) {
    long n = record.key() == null ? 0 : record.key().length;
    for (Header h : record.headers()) {
      n += h.key().length() + (h.value() == null ? 0 : h.value().length);
    }
    return n;
  }

  private static DecodeOutcome oversizedKeyOrHeaders(Record<byte[], byte[]> record, long bytes, SourcePosition source) {
    int keyBytes = record.key() == null ? 0 : record.key().length;
    return new DecodeOutcome.Rejected(DeadLetter.of(DeadLetter.Stage.SIZE, new EnvelopeValidationException(
        "record key (" + keyBytes + " bytes) and headers (" + (bytes - keyBytes) + " bytes) exceed limit "
            + MAX_KEY_AND_HEADER_BYTES + " bytes; key, headers and value are left out of this dead letter"
            + " (see its source offset)")), source, null, null);
  }
}
