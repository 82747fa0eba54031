package dev.leakwatch.agent.scrape;

import dev.leakwatch.agent.model.Target;
import dev.leakwatch.agent.model.TargetId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the running {@link TargetLoop}s and reconciles them with the desired target list, so
 * discovery can add, change and remove targets while the agent runs: a new target starts at a
 * random point of its interval, a changed one restarts with its new settings once the old loop's
 * round in flight has ended (rounds of one target never overlap), a removed one stops and its
 * per-target meters are unregistered. A removed target's round in flight still hands its profiles to
 * the sink: the manager keeps the loop until that round ends, so that the target re-added meanwhile
 * starts only after it and {@link #close(Duration)} waits for it too.
 */
public final class ScrapeManager implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ScrapeManager.class);
  private final ScrapeContext ctx;
  private final Map<TargetId, TargetLoop> loops = new LinkedHashMap<>();
  /**
   * Removed targets' loops whose last round is still in flight. A loop leaves it when that round
   * ends (from the thread that ends it, hence concurrent), not at the next apply: after a change that
   * removed thousands of targets the next change may never come, and until then the loops, their
   * targets and meters objects would stay.
   */
  private final Map<TargetId, TargetLoop> retiring = new ConcurrentHashMap<>();
  private boolean closed;

  public ScrapeManager(ScrapeContext ctx) {
    this.ctx = ctx;
  }

  /**
   * Makes the running set equal to {@code desired} (identities must be unique). Safe from any
   * thread (discovery calls it from its own): the loops are started and stopped under this
   * manager's lock and their own, and the scheduler accepts tasks from any thread; the scheduler's
   * thread itself never waits for this lock.
   *
   * @return how many targets were added, changed and removed
   */
  public synchronized Change apply(Collection<Target> desired) {
    if (closed) {
      return new Change(0, 0, 0);
    }
    Map<TargetId, Target> want = new HashMap<>();
    for (Target t : desired) {
      want.put(t.id(), t);
    }
    int removed = 0;
    int changed = 0;
    int added = 0;
    for (TargetId id : new ArrayList<>(loops.keySet())) {
      if (!want.containsKey(id)) {
        TargetLoop gone = loops.remove(id);
        gone.retire();
        retiring.put(id, gone);
        // at once if no round is in flight; the lock is not taken (see apply's threads)
        gone.afterLastRound(() -> retiring.remove(id, gone));
        removed++;
      }
    }
    for (Target t : desired) {
      TargetLoop current = loops.get(t.id());
      if (current != null && current.target().equals(t)) {
        continue;
      }
      TargetLoop previous = current;
      if (current != null) {
        current.retire(); // before the new loop's meters register
        changed++;
      } else {
        added++;
        previous = retiring.remove(t.id()); // removed a moment ago, its round may still run
      }
      TargetLoop loop = new TargetLoop(t, ctx, ctx.metrics().forTarget(t.id()));
      loops.put(t.id(), loop);
      if (previous != null) {
        loop.startAfter(previous);
      } else {
        loop.start();
      }
    }
    Change c = new Change(added, changed, removed);
    if (c.any()) {
      LOG.info("targets: {} ({} active)", c, loops.size());
    }
    return c;
  }

  /** The running targets with their health, in insertion order. */
  public synchronized List<TargetStatus> status() {
    List<TargetStatus> out = new ArrayList<>();
    for (TargetLoop l : loops.values()) {
      out.add(new TargetStatus(l.target(), l.consecutiveFailures()));
    }
    return out;
  }

  public synchronized int size() {
    return loops.size();
  }

  /** Stops every loop without waiting for rounds in flight (see {@link #close(Duration)}). */
  @Override
  public void close() {
    close(Duration.ZERO);
  }

  /**
   * Stops every loop, then waits up to {@code wait} for the rounds in flight to hand their
   * profiles to the sink, so that at shutdown the buffer is drained only after the last scrape.
   * A round in flight asks for no further profile: only the requests already sent are waited for.
   *
   * @return how many rounds were still in flight when the wait ended (0 normally)
   */
  public int close(Duration wait) {
    List<TargetLoop> stopped;
    synchronized (this) {
      closed = true;
      stopped = new ArrayList<>(loops.values());
      stopped.addAll(retiring.values());
      loops.clear();
      retiring.clear();
    }
    stopped.forEach(TargetLoop::stop);
    long deadline = System.nanoTime() + wait.toNanos();
    int unfinished = 0;
    for (TargetLoop l : stopped) {
      if (!l.awaitRound(deadline)) {
        unfinished++;
      }
    }
    if (unfinished > 0) {
      LOG.warn("{} scrape rounds still in flight after {} ms; what they bring is counted as dropped",
          unfinished, wait.toMillis());
    }
    return unfinished;
  }

  /** Outcome of {@link #apply}. */
  public record Change(int added, int changed, int removed) {
    public boolean any() {
      return added + changed + removed > 0;
    }

    @Override
    public String toString() {
      return "+" + added + " ~" + changed + " -" + removed;
    }
  }

  /** A running target and how many rounds in a row it has failed. */
  public record TargetStatus(Target target, int consecutiveFailures) {}
}
