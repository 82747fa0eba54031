package dev.leakwatch.agent.discovery;

import dev.leakwatch.agent.model.Shard;
import dev.leakwatch.agent.model.Target;
import dev.leakwatch.agent.model.TargetId;
import dev.leakwatch.agent.scrape.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where the targets of every source (the configuration's static targets and files,
 * Kubernetes pods) become the list the agent scrapes: their union, this agent's {@link Shard} of
 * it, handed to {@code apply} ({@code ScrapeManager.apply}).
 *
 * <p><b>Duplicates.</b> Sources are taken in the order they were {@linkplain #source registered},
 * each in its own order; of several targets with one identity the first is kept and the others are
 * logged (once, when they appear) and counted, so one bad pod never refuses the whole list.
 *
 * <p><b>Coalescing.</b> {@link #applySoon()} applies once {@code delay} after the first change of
 * a burst, on {@code scheduler} (discovery's thread), however many changes arrive meanwhile;
 * {@link #applyNow()} applies on the calling thread. Applies are serialized; after {@link #close()}
 * nothing is applied.
 */
public final class TargetUnion implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TargetUnion.class);

  private final Shard shard;
  private final Consumer<List<Target>> apply;
  private final Scheduler scheduler;
  private final Duration delay;
  private final Map<String, Source> sources = new LinkedHashMap<>();
  /** Where each applied target came from (read by {@code GET /targets}). */
  private final Map<TargetId, String> origins = new ConcurrentHashMap<>();
  private boolean pending;
  private boolean closed;

  /** One source's latest list, and what became of it at the last apply. */
  public final class Source {
    private final String name;
    private volatile Supplier<List<Target>> targets = List::of;
    private volatile Counts counts = new Counts(0, 0, 0);
    private Set<TargetId> duplicates = Set.of();

    private Source(String name) {
      this.name = name;
    }

    /** Replaces this source's targets; applied by the next {@link #applyNow}/{@link #applySoon}. */
    public void set(List<Target> latest) {
      List<Target> copy = List.copyOf(latest);
      targets = () -> copy;
    }

    /** Makes this source read its targets from {@code latest} at every apply. */
    public void pull(Supplier<List<Target>> latest) {
      targets = latest;
    }

    /** At the last apply: targets scraped here, left to other shards, dropped as duplicates. */
    public Counts counts() {
      return counts;
    }
  }

  /** What became of one source's targets at the last apply. */
  public record Counts(int scraped, int otherShard, int duplicates) {}

  /**
   * @param apply receives this agent's share of the union (called under this union's lock)
   * @param scheduler discovery's own thread, where {@link #applySoon()} applies
   * @param delay how long {@link #applySoon()} gathers changes
   */
  public TargetUnion(
      Shard shard, Consumer<List<Target>> apply, Scheduler scheduler, Duration delay) {
    this.shard = shard;
    this.apply = apply;
    this.scheduler = scheduler;
    this.delay = delay;
  }

  /** Registers a source; earlier sources win over later ones on duplicates. */
  public synchronized Source source(String name) {
    return sources.computeIfAbsent(name, Source::new);
  }

  /** Applies once {@code delay} from now, together with every change made until then. */
  public void applySoon() {
    synchronized (this) {
      if (pending) {
        return;
      }
      pending = true;
    }
    scheduler.schedule(delay, () -> {
      synchronized (this) {
        pending = false;
      }
      applyNow();
    });
  }

  /** Applies the union of every source's latest targets now, unless closed. */
  public synchronized void applyNow() {
    if (!closed) {
      applyUnion();
    }
  }

  /** Where the target {@code id} came from (a source's name), or null. */
  public String origin(TargetId id) {
    return origins.get(id);
  }

  /** Applies nothing from now on; waits for an apply in progress. */
  @Override
  public synchronized void close() {
    closed = true;
  }

  private void applyUnion() {
    Map<TargetId, Target> union = new LinkedHashMap<>();
    Map<TargetId, String> from = new LinkedHashMap<>();
    for (Source s : sources.values()) {
      Set<TargetId> dropped = new HashSet<>();
      for (Target t : s.targets.get()) {
        if (union.putIfAbsent(t.id(), t) == null) {
          from.put(t.id(), s.name);
        } else {
          dropped.add(t.id());
          if (!s.duplicates.contains(t.id())) {
            LOG.warn("{} target {} ({}) not scraped: {} has a target with that identity ({})",
                s.name, t.id(), t.pprofBase(), from.get(t.id()), union.get(t.id()).pprofBase());
          }
        }
      }
      s.duplicates = dropped;
    }
    List<Target> mine = new ArrayList<>(shard.select(union.values()));
    Map<String, int[]> scraped = new LinkedHashMap<>();
    for (Target t : mine) {
      scraped.computeIfAbsent(from.get(t.id()), k -> new int[1])[0]++;
    }
    Map<String, int[]> all = new LinkedHashMap<>();
    from.values().forEach(n -> all.computeIfAbsent(n, k -> new int[1])[0]++);
    for (Source s : sources.values()) {
      int here = scraped.getOrDefault(s.name, new int[1])[0];
      int total = all.getOrDefault(s.name, new int[1])[0];
      s.counts = new Counts(here, total - here, s.duplicates.size());
    }
    apply.accept(mine);
    origins.keySet().retainAll(union.keySet());
    origins.putAll(from);
  }
}
