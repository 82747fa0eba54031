package dev.leakwatch.topology;

import dev.leakwatch.detect.ProfileKind;
import dev.leakwatch.detect.growth.CaptureContext;
import dev.leakwatch.detect.growth.LiveDetector;
import dev.leakwatch.detect.growth.InstanceStep;
import dev.leakwatch.detect.series.InstanceSeries;
import dev.leakwatch.detect.series.InstanceSeriesCodec;
import dev.leakwatch.detect.series.RestartSignal;
import dev.leakwatch.detect.series.SeriesUpdate;
import dev.leakwatch.topology.window.ContributionExtractor;
import dev.leakwatch.topology.window.InstanceSnapshot;
import dev.leakwatch.topology.window.WindowContribution;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Per-instance stage: runs detection on one decoded profile against the instance's stored series
 * and forwards a {@link ServiceReport} keyed by service, timestamped with the capture time.
 *
 * <p>Store cost per profile is fixed, whatever the number of samples: one read and at most one
 * write of {@code instance-series} (goroutine profiles read the instance's heap series too, for its
 * restarts), and for heap and goroutine profiles one read and one write of
 * {@code instance-snapshot}. The series also keeps the capture's envelope labels (bounded, {@link
 * dev.leakwatch.detect.series.InstanceLabels}), which detection never reads. Both are keyed {@code service/instance/KIND}. Detection decides
 * restarts and gaps (a new series); the window contribution follows its verdict, so a duplicate or
 * out-of-order capture changes neither the series nor the windows. Both stores are also given a
 * {@link ChangelogAnchor} tombstone at a task's first record, so that a clean restart keeps the task's state.
 *
 * <p>Expiry: instances come and go (every rollout renames the pods), and nothing else removes
 * their keys. A sweep deletes the task's series whose latest capture is older than the window
 * retention, each with the snapshot under the same key: by then the instance's windows have
 * expired as well, and a capture after such a silence would start a new series anyway ({@code
 * maxGap}). It goes in slices: every {@link #SWEEP_PERIOD} of stream time (or the window retention
 * if shorter) it reads the next {@link #SWEEP_BATCH} series in key order, wrapping around at the
 * end, so the stream thread never stops for a scan of every series at once (RocksDB hands each
 * value over whole, ~10 KB, though only its header and capture times are decoded). A full pass over
 * N series takes N / {@link #SWEEP_BATCH} periods; the position is kept in memory (a restart
 * begins again at the first key).
 */
final class InstanceProcessor implements Processor<String, DecodedProfile, String, ServiceReport> {

  /** The detector of the policy in force: a swapped policy judges the next capture. */
  private final LiveDetector detectors;
  private final ContributionExtractor extractor;
  private ProcessorContext<String, ServiceReport> context;
  private KeyValueStore<String, byte[]> series;
  private KeyValueStore<String, byte[]> snapshots;
  private ChangelogAnchor anchor;
  private final long retentionMs;

  /** Stream time between two slices of the sweep of the task's gone instances. */
  static final Duration SWEEP_PERIOD = Duration.ofMinutes(1);
  /** Series one slice of the sweep reads at most. */
  static final int SWEEP_BATCH = 2_000;
  /** The last key the previous slice read, or null to start at the first. */
  private String sweptThrough;
  /** The series the sweep cannot read, said once a pass when their number changes. */
  private final SweepUnreadable unreadable = new SweepUnreadable("instance series");

  InstanceProcessor(TopologyConfig config) {
    this.detectors = new LiveDetector(config.livePolicy());
    this.extractor = new ContributionExtractor(config.maxStacksPerWindow(),
        config.windowRetention().toMillis());
    this.retentionMs = config.windowRetention().toMillis();
  }

  @Override
  public void init(ProcessorContext<String, ServiceReport> context) {
    this.context = context;
    this.series = context.getStateStore(TopologyNames.INSTANCE_SERIES_STORE);
    this.snapshots = context.getStateStore(TopologyNames.INSTANCE_SNAPSHOT_STORE);
    this.anchor = new ChangelogAnchor(retentionMs / 2, List.of(
        t -> series.put(ChangelogAnchor.KEY, null),
        t -> snapshots.put(ChangelogAnchor.KEY, null)));
    context.schedule(Duration.ofMillis(Math.min(SWEEP_PERIOD.toMillis(), retentionMs)),
        PunctuationType.STREAM_TIME, this::expireGone);
  }

  /**
   * One slice of the sweep: of the next {@link #SWEEP_BATCH} series after the previous slice's last
   * key, deletes those (and their snapshots) whose latest capture is older than the retention at
   * {@code streamTimeMs}.
   */
  private void expireGone(long streamTimeMs) {
    long oldest = streamTimeMs - retentionMs;
    List<String> gone = new ArrayList<>();
    String after = sweptThrough;
    String last = null;
    int read = 0;
    try (KeyValueIterator<String, byte[]> it = after == null ? series.all() : series.range(after, null)) {
      while (read < SWEEP_BATCH && it.hasNext()) {
        KeyValue<String, byte[]> kv = it.next();
        if (kv.key.equals(after)) {
          continue; // the range starts at the previous slice's last key, which it read already
        }
        read++;
        last = kv.key;
        RestartSignal latest = unreadable.decode(kv.key, kv.value, InstanceSeriesCodec::restartSignal);
        // an unreadable value is left alone: a later release may read it
        if (latest != null && latest.lastCaptureMs() < oldest) {
          gone.add(kv.key);
        }
      }
      sweptThrough = it.hasNext() ? last : null;
    }
    if (sweptThrough == null) {
      unreadable.passEnded();
    }
    for (String key : gone) {
      series.delete(key);
      snapshots.delete(key);
    }
  }

  @Override
  public void process(Record<String, DecodedProfile> record) {
    anchor.onRecord(record.timestamp());
    DecodedProfile p = record.value();
    ProfileKind kind = ProfileKinds.of(p.type());
    String key = p.instanceKey() + "/" + kind.name();
    CaptureContext capture =
        new CaptureContext(p.service(), p.instance(), kind, p.captureMs(), p.memoryLimitBytes());
    InstanceStep step = detectors.get().process(
        StoredState.read(series, key, InstanceSeries::fromBytes, "series"), capture, p.sites(),
        heapRestarts(p.instanceKey(), kind));
    SeriesUpdate update = step.report().update();
    if (update != SeriesUpdate.IGNORED) {
      // the latest capture's labels, for the query API; unchanged labels (most captures) cost a compare
      step.series().updateLabels(p.labels());
      series.put(key, step.series().toBytes());
    }
    WindowContribution window = null;
    if ((kind == ProfileKind.HEAP || kind == ProfileKind.GOROUTINE) && update != SeriesUpdate.IGNORED) {
      ContributionExtractor.Extraction x = extractor.extract(p.instance(), kind == ProfileKind.GOROUTINE,
          p.captureMs(), p.stacks(), StoredState.read(snapshots, key, InstanceSnapshot::fromBytes, "snapshot"),
          update == SeriesUpdate.RESTARTED);
      snapshots.put(key, x.snapshot().toBytes());
      window = x.contribution();
    }
    // the report's findings carry whole stacks: held to what the repartition record has room for
    context.forward(new Record<>(p.service(), new ServiceReport(ReportFindings.within(step.report()), window),
        p.captureMs()));
  }

  /**
   * For a goroutine capture, what the instance's heap series (same key prefix, so the same task) knows
   * of restarts; null for other kinds, or when there is no readable heap series.
   */
  private RestartSignal heapRestarts(String instanceKey, ProfileKind kind) {
    if (kind != ProfileKind.GOROUTINE && kind != ProfileKind.GOROUTINE_LEAK) {
      return null;
    }
    return StoredState.read(series, instanceKey + "/" + ProfileKind.HEAP.name(), InstanceSeriesCodec::restartSignal,
        "heap series");
  }
}
