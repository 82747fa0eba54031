package dev.leakwatch.topology;

import dev.leakwatch.schemas.avro.LeakSuspect;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Service stage, history: records every suspect event the lifecycle emits in {@code
 * suspect-history} (keyed by service, at the event's capture-time {@code detectedAt}), so the query
 * API can show resolved suspects and a service's history. Same task as the lifecycle, so the history
 * is exactly as durable as the events (same transaction under exactly_once_v2). Old entries expire
 * with the window retention, on stream time.
 */
final class SuspectHistoryProcessor implements Processor<String, LeakSuspect, Void, Void> {

  private WindowStore<String, byte[]> history;

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    history = context.getStateStore(TopologyNames.SUSPECT_HISTORY_STORE);
  }

  @Override
  public void process(Record<String, LeakSuspect> record) {
    LeakSuspect e = record.value();
    history.put(record.key(), SuspectHistory.encode(e), e.getDetectedAt().toEpochMilli());
  }
}
