package dev.leakwatch.topology;

import dev.leakwatch.detect.SiteFrame;
import dev.leakwatch.topology.window.DictionaryPresence;
import dev.leakwatch.topology.window.ServiceWindow;
import dev.leakwatch.topology.window.StackDictionary;
import dev.leakwatch.topology.window.StackLastSeen;
import dev.leakwatch.topology.window.WindowContribution;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Service stage, windows: folds each capture's contribution into its service's tumbling window
 * (selected by capture time) and records the frames of stacks new to the dictionary. Per report:
 * one window read, one window write, and per stack the instance did not have at its previous
 * capture, the window does not hold yet and this processor has not yet seen in the dictionary
 * ({@link DictionaryPresence}) one dictionary read, and a write when the service's dictionary lacks
 * the stack.
 *
 * <p>Dictionary expiry: when a service's first capture of a new window arrives and a sweep period
 * ({@link #SWEEP_PERIOD}, or the window retention if shorter) of stream time has passed since the
 * last sweep, the windows since then are folded into the service's {@link StackLastSeen} index and
 * every stack not held by any window for longer than the window retention leaves the dictionary —
 * by then the windows that referenced it have expired too. Instances whose previous capture is
 * older than the retention ship all their frames again (see {@code ContributionExtractor}).
 *
 * <p>A service that stops sending (renamed, decommissioned) has no capture to trigger its sweep:
 * a stream-time punctuator, every sweep period, drops the whole dictionary and index of each
 * service whose windows have all expired — its index was last swept so long ago that even a window
 * starting a sweep period later (the latest that could have come without a sweep) is older than
 * the retention. It reads each index's header only.
 */
final class WindowProcessor implements Processor<String, ServiceReport, Void, Void> {

  /** Longest stream time between two dictionary sweeps of a service. */
  static final Duration SWEEP_PERIOD = Duration.ofHours(1);

  /**
   * Most stack ids {@link #present} remembers per processor (stream task): ~300 stacks for each of
   * some 700 services, a few MiB of heap.
   */
  static final int MAX_PRESENT_IDS = 200_000;

  private final long windowMs;
  private final long retentionMs;
  private final long sweepMs;
  private final int maxStacks;
  // The latest window of each service, decoded (a window is ~10-200 KB stored, a few times that decoded).
  private final DecodedStates<ServiceWindow> decoded = new DecodedStates<>(256, 8L << 20);
  // Stacks known to be in the dictionary: forgotten before any of a service's entries is deleted.
  private final DictionaryPresence present = new DictionaryPresence(MAX_PRESENT_IDS);
  /** The indexes the sweep cannot read, said once a sweep when their number changes. */
  private final SweepUnreadable unreadable = new SweepUnreadable("stack last-seen indexes");
  private WindowStore<String, byte[]> windows;
  private KeyValueStore<String, byte[]> dictionary;
  private KeyValueStore<String, byte[]> lastSeen;
  private ChangelogAnchor anchor;

  WindowProcessor(TopologyConfig config) {
    this.windowMs = config.windowSize().toMillis();
    this.retentionMs = config.windowRetention().toMillis();
    this.sweepMs = Math.min(SWEEP_PERIOD.toMillis(), retentionMs);
    this.maxStacks = config.maxStacksPerWindow();
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    windows = context.getStateStore(TopologyNames.SERVICE_WINDOWS_STORE);
    dictionary = context.getStateStore(TopologyNames.STACK_DICTIONARY_STORE);
    lastSeen = context.getStateStore(TopologyNames.STACK_LAST_SEEN_STORE);
    present.clear(); // a revived task's stores were restored: they may lack what this object saw written
    anchor = new ChangelogAnchor(retentionMs / 2, List.of(
        t -> windows.put(ChangelogAnchor.KEY, ChangelogAnchor.WINDOW_VALUE, Math.floorDiv(t, windowMs) * windowMs),
        t -> dictionary.put(ChangelogAnchor.KEY, null),
        t -> lastSeen.put(ChangelogAnchor.KEY, null)));
    context.schedule(Duration.ofMillis(sweepMs), PunctuationType.STREAM_TIME, this::forgetRetiredServices);
  }

  /** Drops the dictionary and index of every service none of whose windows is within the retention. */
  private void forgetRetiredServices(long streamTimeMs) {
    List<String> retired = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> it = lastSeen.all()) {
      while (it.hasNext()) {
        KeyValue<String, byte[]> kv = it.next();
        Long through = unreadable.decode(kv.key, kv.value, StackLastSeen::indexedThroughMs);
        // its windows all start before through + sweepMs (a later one would have swept it)
        if (through != null && through + sweepMs <= streamTimeMs - retentionMs) {
          retired.add(kv.key);
        }
      }
    }
    unreadable.passEnded();
    for (String service : retired) {
      present.forget(service);
      for (long id : dictionaryIds(service)) {
        dictionary.delete(StackDictionary.key(service, id));
      }
      lastSeen.delete(service);
    }
  }

  @Override
  public void process(Record<String, ServiceReport> record) {
    anchor.onRecord(record.timestamp());
    WindowContribution c = record.value().window();
    if (c == null) {
      return;
    }
    String service = record.key();
    long start = Math.floorDiv(c.captureMs(), windowMs) * windowMs;
    byte[] stored = windows.fetch(service, start);
    if (stored == null) {
      sweepDictionary(service, start);
    }
    ServiceWindow window = decoded.take(service, start, stored);
    if (window == null) {
      window = stored == null ? new ServiceWindow() : ServiceWindow.fromBytes(stored);
    }
    recordNewStacks(service, window, c.newStacks());
    window.add(c, maxStacks);
    byte[] bytes = window.toBytes();
    windows.put(service, bytes, start);
    decoded.written(service, start, window, bytes);
  }

  /**
   * Writes the frames of shipped stacks the service's dictionary lacks, before {@code window} takes
   * the contribution. A stack the window already holds is skipped without a read: an earlier capture
   * of this window brought it, shipping its frames (which were checked and written then) or as a
   * stack its instance already had (whose frames the dictionary is relied on to have, as for every
   * stack that is not shipped); and sweeps, which run as a window opens, expire stacks no window has
   * held for the retention. (Past {@link StackLastSeen#MAX_STACKS} stacks a sweep also expires the
   * longest unseen, held or not; such a stack's frames come back when a capture ships it to a window
   * that does not hold it.) Every instance's first capture ships all its stacks, most of which its
   * service's window already holds. A stack found or written here is remembered in {@link #present}
   * until its service's next sweep, so a small service's instances, whose windows rarely hold what
   * they ship, do not read it again.
   */
  private void recordNewStacks(String service, ServiceWindow window, Map<Long, List<SiteFrame>> newStacks) {
    for (Map.Entry<Long, List<SiteFrame>> e : newStacks.entrySet()) {
      long id = e.getKey();
      if (window.holds(id) || present.holds(service, id)) {
        continue;
      }
      String key = StackDictionary.key(service, id);
      if (dictionary.get(key) == null) {
        dictionary.put(key, StackDictionary.encode(e.getValue()));
      }
      present.add(service, id);
    }
  }

  /** Brings the service's last-seen index up to {@code windowStart} and expires stale dictionary entries. */
  private void sweepDictionary(String service, long windowStart) {
    StackLastSeen index = StoredState.read(lastSeen, service, StackLastSeen::fromBytes, "stack last-seen index");
    if (index == null) {
      index = StackLastSeen.startingAt(windowStart);
    } else if (windowStart - index.indexedThroughMs() < sweepMs) {
      return;
    } else {
      foldWindows(service, index, windowStart);
    }
    present.forget(service);
    for (long id : index.sweep(dictionaryIds(service), windowStart, windowStart - retentionMs)) {
      dictionary.delete(StackDictionary.key(service, id));
    }
    lastSeen.put(service, index.toBytes());
  }

  /** Folds the service's windows that started since the index's last sweep, before {@code windowStart}. */
  private void foldWindows(String service, StackLastSeen index, long windowStart) {
    try (WindowStoreIterator<byte[]> it = windows.fetch(service, index.indexedThroughMs(), windowStart - 1)) {
      while (it.hasNext()) {
        KeyValue<Long, byte[]> kv = it.next();
        ServiceWindow w = StoredState.decode(service, kv.value, ServiceWindow::fromBytes, "window");
        if (w != null) {
          w.heapStacks().keySet().forEach(id -> index.seen(id, kv.key));
          w.goroutineStacks().keySet().forEach(id -> index.seen(id, kv.key));
        }
      }
    }
  }

  private Set<Long> dictionaryIds(String service) {
    Set<Long> ids = new HashSet<>();
    try (KeyValueIterator<String, byte[]> it =
        dictionary.prefixScan(StackDictionary.prefix(service), new StringSerializer())) {
      while (it.hasNext()) {
        StackDictionary.idOf(service, it.next().key).ifPresent(ids::add);
      }
    }
    return ids;
  }
}
