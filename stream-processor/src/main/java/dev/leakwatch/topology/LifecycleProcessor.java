package dev.leakwatch.topology;

import dev.leakwatch.detect.growth.InstanceReport;
import dev.leakwatch.detect.lifecycle.InstanceInfo;
import dev.leakwatch.detect.lifecycle.ServiceSuspects;
import dev.leakwatch.detect.lifecycle.StoredStep;
import dev.leakwatch.detect.lifecycle.SuspectEvent;
import dev.leakwatch.detect.lifecycle.SuspectTracker;
import dev.leakwatch.detect.lifecycle.TrackerStep;
import dev.leakwatch.schemas.avro.LeakSuspect;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Service stage, lifecycle: applies each per-instance report to its service's suspect state and
 * publishes the resulting OPEN / UPDATED / RESOLVED events keyed by service.
 *
 * <p>The state is written to {@code suspect-lifecycle} in the same task (and, with
 * exactly_once_v2, the same transaction) as the events, so a restarted processor neither repeats
 * an OPEN nor loses one. A stream-time punctuator (every {@link TopologyConfig#lifecycleTick()})
 * lets quiet suspects resolve and gone instances expire even when their service sends nothing;
 * stream time is the task's latest capture time, so replays behave like live traffic. Each report
 * is applied with the stream time at which it arrived, which the state keeps: a service whose
 * captures run behind the others of its task is judged by the stream time that has passed since its
 * own latest report (SuspectTracker), never by the others' lead; and that stream time counts as its
 * silence only as far as the processor's clock ran meanwhile ({@link SilenceClock}), so a backlog read
 * after an outage, one service's hour before another's, makes no service gone. Each instance's silence
 * is counted the same way, so one whose partition is read behind its siblings' is not taken for gone
 * either. Suspects dropped to keep a service's state
 * within its bound ({@link SuspectTracker#store}) are counted and logged, the open ones ended by a
 * RESOLVED; growing sites refused for want of room are counted (not logged: they recur at every report).
 */
final class LifecycleProcessor implements Processor<String, ServiceReport, String, LeakSuspect> {

  private static final Logger LOG = LoggerFactory.getLogger(LifecycleProcessor.class);
  /** Most suspect ids a line about dropped suspects names. */
  private static final int NAMED_IDS = 10;

  private final SuspectTracker tracker;
  private final TopologyObserver observer;
  private final long tickMs;
  private final SilenceClock silence;
  // Each service's state as last written, decoded: every report of the service rewrites it, and
  // its size grows with the service's instances (~35 bytes each, more while they are suspects).
  private final DecodedStates<ServiceSuspects> decoded = new DecodedStates<>(256, 8L << 20);
  private ProcessorContext<String, LeakSuspect> context;
  private KeyValueStore<String, byte[]> store;
  private ChangelogAnchor anchor;
  private final long retentionMs;

  LifecycleProcessor(TopologyConfig config, TopologyObserver observer) {
    this.observer = observer;
    // the tracker reads only global detection fields (resolveAfter, updateInterval, ...), which a rules
    // reload never changes (TopologyConfig#livePolicy): the base in force at the task's start is the one
    this.tracker = new SuspectTracker(config.detection());
    this.tickMs = config.lifecycleTick().toMillis();
    // a step of the clock longer than a tick (or than the task's instances' interval) is a task that was
    // not fed, not silence; no step counts half of instanceGoneAfter or resolveAfter (SilenceClock)
    Duration shorter = config.detection().instanceGoneAfter().compareTo(config.detection().resolveAfter()) < 0
        ? config.detection().instanceGoneAfter() : config.detection().resolveAfter();
    this.silence = new SilenceClock(tickMs, shorter.toMillis() / 2);
    this.retentionMs = config.windowRetention().toMillis();
  }

  @Override
  public void init(ProcessorContext<String, LeakSuspect> context) {
    this.context = context;
    this.store = context.getStateStore(TopologyNames.SUSPECT_LIFECYCLE_STORE);
    // the history is written by the next processor, only when there is an event: anchored here
    WindowStore<String, byte[]> history = context.getStateStore(TopologyNames.SUSPECT_HISTORY_STORE);
    this.anchor = new ChangelogAnchor(retentionMs / 2, List.of(
        t -> store.put(ChangelogAnchor.KEY, null),
        t -> history.put(ChangelogAnchor.KEY, ChangelogAnchor.WINDOW_VALUE, t)));
    context.schedule(Duration.ofMillis(tickMs), PunctuationType.STREAM_TIME, this::tick);
  }

  @Override
  public void process(Record<String, ServiceReport> record) {
    anchor.onRecord(record.timestamp());
    String service = record.key();
    byte[] before = store.get(service);
    silence.advance(context.currentSystemTimeMs());
    InstanceReport report = record.value().report();
    ServiceSuspects state = open(service, before);
    boolean newer = InstanceInfo.movedOnBy(state == null ? null : state.instances().get(report.instance()),
        report.captureTimeMs());
    TrackerStep step = tracker.onReport(state, report, context.currentStreamTimeMs(),
        silence.limitFor(service, state));
    silence.arrived(service, newer ? report.instance() : null);
    save(service, before, step);
  }

  private void tick(long streamTimeMs) {
    silence.advance(context.currentSystemTimeMs());
    List<KeyValue<String, byte[]>> all = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> it = store.all()) {
      it.forEachRemaining(all::add);
    }
    for (KeyValue<String, byte[]> kv : all) {
      ServiceSuspects state = open(kv.key, kv.value);
      if (state != null) {
        save(kv.key, kv.value, tracker.onTime(state, silence.judgeAt(state, streamTimeMs),
            silence.limitFor(kv.key, state)));
      }
    }
  }

  /** The service's state stored as {@code stored}: the object last written as those bytes, else decoded. */
  private ServiceSuspects open(String service, byte[] stored) {
    ServiceSuspects state = decoded.take(service, 0, stored);
    return state != null ? state : StoredState.decode(service, stored, ServiceSuspects::fromBytes, "lifecycle state");
  }

  private void save(String service, byte[] before, TrackerStep step) {
    if (step.refused() > 0) {
      observer.sitesRefused(step.refused());
    }
    List<SuspectEvent> events = step.events();
    if (step.state().isEmpty()) {
      if (before != null) {
        store.delete(service);
      }
      silence.forget(service);
    } else {
      silence.retain(service, step.state().instances().keySet());
      StoredStep stored = tracker.store(step, ServiceSuspects.MAX_STORED_BYTES);
      byte[] after = stored.bytes();
      if (!Arrays.equals(before, after)) {
        store.put(service, after);
      }
      decoded.written(service, 0, step.state(), after);
      events = stored.events();
      if (stored.ended() + stored.unannounced() > 0) {
        observer.suspectsDropped(stored.ended(), stored.unannounced());
        logDropped(service, stored);
      }
    }
    for (SuspectEvent e : events) {
      context.forward(new Record<>(service, SuspectEventMapper.toAvro(e), e.detectedAtMs()));
    }
  }

  /** One line per step that dropped suspects (rare: only a state past its bound with every suspect at its floor). */
  private static void logDropped(String service, StoredStep stored) {
    List<SuspectEvent> all = stored.events();
    List<String> ended = all.subList(all.size() - stored.ended(), all.size()).stream()
        .map(SuspectEvent::suspectId).toList();
    LOG.warn("service {}: lifecycle state past its {} bytes; dropped {} open suspects (RESOLVED sent) and {} not "
        + "announced; ended: {}{}", service, ServiceSuspects.MAX_STORED_BYTES, stored.ended(), stored.unannounced(),
        ended.subList(0, Math.min(ended.size(), NAMED_IDS)),
        ended.size() > NAMED_IDS ? " and " + (ended.size() - NAMED_IDS) + " more" : "");
  }
}
