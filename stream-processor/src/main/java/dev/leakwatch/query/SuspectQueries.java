package dev.leakwatch.query;

import dev.leakwatch.detect.StateFormatException;
import dev.leakwatch.detect.lifecycle.ServiceSuspects;
import dev.leakwatch.detect.lifecycle.SuspectState;
import dev.leakwatch.query.SuspectAnswers.Event;
import dev.leakwatch.query.SuspectAnswers.Suspect;
import dev.leakwatch.schemas.avro.LeakSuspect;
import dev.leakwatch.topology.ChangelogAnchor;
import dev.leakwatch.topology.SuspectHistory;
import dev.leakwatch.topology.TopologyNames;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Answers about suspects from this instance's {@code suspect-lifecycle} (current suspects) and
 * {@code suspect-history} (every event within the retention) stores, for one service on its
 * partition or for every service of some partitions (a fan-out's part).
 */
public final class SuspectQueries {

  private final LocalStores stores;

  public SuspectQueries(LocalStores stores) {
    this.stores = stores;
  }

  /** The current suspects of a service that pass {@code filter}, by id. */
  public SuspectAnswers.SuspectList forService(String service, int partition, SuspectFilter filter) {
    ServiceSuspects state = lifecycle(stores.get(TopologyNames.SUSPECT_LIFECYCLE_STORE, partition, service));
    if (state == null) {
      requireKnown(service, partition);
    }
    List<Suspect> out = current(service, state, st -> filter.accepts(st.open()), partition);
    return new SuspectAnswers.SuspectList(service, filter.name().toLowerCase(java.util.Locale.ROOT), out.size(), out);
  }

  /** One suspect of a service with its events; 404 when neither the lifecycle nor the history knows it. */
  public SuspectAnswers.Detail detail(String service, int partition, String id) {
    ServiceSuspects state = lifecycle(stores.get(TopologyNames.SUSPECT_LIFECYCLE_STORE, partition, service));
    SuspectState st = state == null ? null : state.suspects().get(id);
    List<LeakSuspect> events = new ArrayList<>();
    history(service, partition, 0, Params.MAX_TIME_MS, (t, e) -> {
      if (e.getSuspectId().equals(id)) {
        events.add(e);
      }
    });
    if (st == null && events.isEmpty()) {
      throw new NotFoundException("service '" + service + "' has no suspect " + id
          + " (neither tracked now nor in the history's retention)");
    }
    return detail(service, id, st, events);
  }

  /** A service's events in {@code range}, newest first, at most {@code limit}. */
  public SuspectAnswers.History history(String service, int partition, TimeRange range, int limit) {
    List<Event> all = new ArrayList<>();
    history(service, partition, range.fromMs(), range.toMs() - 1, (t, e) -> all.add(SuspectViews.event(e)));
    if (all.isEmpty() && stores.get(TopologyNames.SUSPECT_LIFECYCLE_STORE, partition, service) == null) {
      requireKnown(service, partition);
    }
    all.sort(Comparator.comparingLong(Event::detectedAtMs).reversed().thenComparing(Event::suspectId)
        .thenComparing(Event::status));
    List<Event> shown = all.subList(0, Math.min(limit, all.size()));
    return new SuspectAnswers.History(service, TimeRange.iso(range.fromMs()), TimeRange.iso(range.toMs()),
        shown.size(), all.size() > limit, List.copyOf(shown));
  }

  /**
   * The current suspects that pass {@code filter} of every service held in {@code partitions} (a
   * fan-out's part): the first {@code page.limit()} after the page's start, in {@link
   * SuspectPage#ORDER}. Which suspects make the page is decided from the lifecycle entries alone; the
   * views, which read each service's suspect history, are built for those only.
   */
  public SuspectAnswers.Part currentPart(Set<Integer> partitions, SuspectFilter filter, SuspectPage page) {
    TreeSet<Pick> kept = new TreeSet<>();
    boolean[] more = {false};
    for (int p : partitions) {
      stores.range(TopologyNames.SUSPECT_LIFECYCLE_STORE, Set.of(p), null, null, (service, bytes) -> {
        ServiceSuspects state = page.admitsService(service) ? lifecycle(bytes) : null;
        if (state == null) {
          return;
        }
        for (SuspectState st : state.suspects().values()) {
          if (filter.accepts(st.open()) && page.admits(service, st.id())) {
            kept.add(new Pick(service, st.id(), p, state));
            if (kept.size() > page.limit()) {
              kept.pollLast();
              more[0] = true;
            }
          }
        }
      });
    }
    // the picks of one service share its lifecycle state (decoded once, above) and partition
    Map<String, Set<String>> ids = new HashMap<>();
    Map<String, Pick> where = new HashMap<>();
    for (Pick k : kept) {
      ids.computeIfAbsent(k.service(), x -> new HashSet<>()).add(k.id());
      where.putIfAbsent(k.service(), k);
    }
    List<Suspect> out = new ArrayList<>();
    ids.forEach((service, wanted) -> out.addAll(current(service, where.get(service).state(),
        st -> wanted.contains(st.id()), where.get(service).partition())));
    out.sort(SuspectPage.ORDER);
    return new SuspectAnswers.Part(out, List.of(), more[0]);
  }

  /**
   * A suspect of a service, where it was found and the service's decoded state; ordered as the
   * listing is. A part keeps at most a page of them, so the states they hold are bounded too.
   */
  private record Pick(String service, String id, int partition, ServiceSuspects state) implements Comparable<Pick> {
    @Override
    public int compareTo(Pick o) {
      int c = service.compareTo(o.service);
      return c != 0 ? c : id.compareTo(o.id);
    }
  }

  /**
   * The page of the whole listing from every instance's part: the parts' suspects in {@link
   * SuspectPage#ORDER}, cut to the page; more follow when the parts together hold more, or any part
   * left some out (a part that did holds a page's worth by itself, so the page is exact).
   */
  public static SuspectAnswers.Listing merge(String status, List<SuspectAnswers.Part> parts, SuspectPage page) {
    List<Suspect> all = new ArrayList<>();
    boolean more = false;
    for (SuspectAnswers.Part p : parts) {
      more |= p.more();
      all.addAll(p.suspects());
    }
    all.sort(SuspectPage.ORDER);
    if (all.size() > page.limit()) {
      more = true;
      all = all.subList(0, page.limit());
    }
    String next = more && !all.isEmpty() ? SuspectPage.cursor(all.get(all.size() - 1)) : null;
    return new SuspectAnswers.Listing(status, all.size(), next != null, next, List.copyOf(all));
  }

  /** Suspect {@code id} wherever it is in {@code partitions}: its current view (if tracked) and events. */
  public SuspectAnswers.Part byIdPart(Set<Integer> partitions, String id) {
    List<Suspect> found = new ArrayList<>();
    stores.range(TopologyNames.SUSPECT_LIFECYCLE_STORE, partitions, null, null, (service, bytes) -> {
      ServiceSuspects s = lifecycle(bytes);
      if (s != null && s.suspects().containsKey(id)) {
        found.add(SuspectViews.of(service, id, s.suspects().get(id), null));
      }
    });
    List<Event> events = new ArrayList<>();
    stores.allWindows(TopologyNames.SUSPECT_HISTORY_STORE, partitions, 0, Params.MAX_TIME_MS, (key, bytes) -> {
      if (ChangelogAnchor.isAnchor(key.key())) {
        return;
      }
      LeakSuspect e = decode(bytes);
      if (e != null && e.getSuspectId().equals(id)) {
        events.add(SuspectViews.event(e));
      }
    });
    return new SuspectAnswers.Part(found, events);
  }

  /** Suspects whose OPEN was emitted, over this instance's active partitions of the lifecycle store. */
  public long countOpen(Set<Integer> partitions) {
    long[] n = {0};
    stores.range(TopologyNames.SUSPECT_LIFECYCLE_STORE, partitions, null, null, (service, bytes) -> {
      ServiceSuspects s = lifecycle(bytes);
      if (s != null) {
        n[0] += s.suspects().values().stream().filter(SuspectState::open).count();
      }
    });
    return n[0];
  }

  /** A suspect's view from its lifecycle entry and its events (oldest first). */
  static SuspectAnswers.Detail detail(String service, String id, SuspectState st, List<LeakSuspect> events) {
    events.sort(Comparator.comparing(LeakSuspect::getDetectedAt));
    LeakSuspect latest = events.isEmpty() ? null : events.get(events.size() - 1);
    return new SuspectAnswers.Detail(SuspectViews.of(service, id, st, latest),
        events.stream().map(SuspectViews::event).toList());
  }

  private List<Suspect> current(String service, ServiceSuspects state, Predicate<SuspectState> wanted,
      int partition) {
    if (state == null) {
      return List.of();
    }
    Map<String, SuspectState> shown = new HashMap<>();
    long since = Long.MAX_VALUE;
    for (SuspectState st : state.suspects().values()) {
      if (wanted.test(st)) {
        shown.put(st.id(), st);
        if (st.open()) {
          since = Math.min(since, st.openedAtMs());
        }
      }
    }
    Map<String, LeakSuspect> latest = new HashMap<>();
    if (since != Long.MAX_VALUE) {
      history(service, partition, since, Params.MAX_TIME_MS, (t, e) -> {
        if (shown.containsKey(e.getSuspectId())) {
          latest.merge(e.getSuspectId(), e, (a, b) -> b.getDetectedAt().isBefore(a.getDetectedAt()) ? a : b);
        }
      });
    }
    List<Suspect> out = new ArrayList<>();
    shown.forEach((id, st) -> out.add(SuspectViews.of(service, id, st, latest.get(id))));
    out.sort(SuspectPage.ORDER);
    return out;
  }

  private void history(String service, int partition, long from, long to, BiConsumer<Long, LeakSuspect> sink) {
    stores.windows(TopologyNames.SUSPECT_HISTORY_STORE, partition, service, from, to, (t, bytes) -> {
      LeakSuspect e = decode(bytes);
      if (e != null) {
        sink.accept(t, e);
      }
    });
  }

  /**
   * Refuses a service of which the owner of its partition holds nothing: no lifecycle state (checked
   * by the caller), no window and no suspect event within their retention. A service that stopped
   * reporting keeps its windows and history after its lifecycle state is gone, so it is still known
   * and answers with no suspects.
   *
   * @throws NotFoundException when the service is unknown
   */
  private void requireKnown(String service, int partition) {
    if (stores.newestWindowStart(TopologyNames.SERVICE_WINDOWS_STORE, partition, service) == null
        && stores.newestWindowStart(TopologyNames.SUSPECT_HISTORY_STORE, partition, service) == null) {
      throw new NotFoundException("no processor has data of service '" + service
          + "' (no lifecycle state, window or suspect event within the retention)");
    }
  }

  /** Decoded lifecycle state; null when absent or unreadable (the topology starts such state afresh). */
  static ServiceSuspects lifecycle(byte[] bytes) {
    try {
      return bytes == null ? null : ServiceSuspects.fromBytes(bytes);
    } catch (StateFormatException e) {
      return null;
    }
  }

  private static LeakSuspect decode(byte[] bytes) {
    try {
      return SuspectHistory.decode(bytes);
    } catch (SerializationException e) {
      return null;
    }
  }
}
