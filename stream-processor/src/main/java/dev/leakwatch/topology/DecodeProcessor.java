package dev.leakwatch.topology;

import java.util.Locale;
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

  DecodeProcessor(EnvelopeDecoder decoder, TopologyObserver observer) {
    this.decoder = decoder;
    this.observer = observer;
  }

  @Override
  public void init(ProcessorContext<String, DecodeOutcome> context) {
    this.context = context;
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    SourcePosition source = context.recordMetadata()
        .map(m -> new SourcePosition(m.topic(), m.partition(), m.offset(), record.timestamp()))
        .orElseGet(() -> new SourcePosition("", -1, -1, record.timestamp()));
    long started = System.nanoTime();
    DecodeOutcome outcome = decoder.decode(record.key(), record.value(), source, context.currentSystemTimeMs());
    long nanos = System.nanoTime() - started;
    if (outcome instanceof DecodeOutcome.Decoded d) {
      DecodedProfile p = d.profile();
      observer.profileDecoded(p.type().name().toLowerCase(Locale.ROOT), nanos);
      context.forward(new Record<>(p.instanceKey(), outcome, p.captureMs(), record.headers()));
    } else {
      DecodeOutcome.Rejected r = (DecodeOutcome.Rejected) outcome;
      observer.profileRejected(r.deadLetter().stage().header(), nanos);
      context.forward(new Record<String, DecodeOutcome>(null, outcome, record.timestamp(),
          r.deadLetter().headers(record.headers(), source)));
    }
  }
}
