package dev.leakwatch.topology.window;

import dev.leakwatch.detect.LongIndex;
import java.util.HashMap;
import java.util.Map;

/**
 * The stacks one window processor knows its services' stack dictionaries to hold, because it read
 * or wrote them since it was (re)initialised: a stack an instance ships again (it was missing from
 * the instance's previous capture) to a window that does not hold it then costs no dictionary read.
 * That read is what made fleets of many small services slow: their windows rarely hold what an
 * instance ships, and their dictionaries together outgrow the store cache, so nearly every such
 * read went to RocksDB.
 *
 * <p>Contract with the owner, which is what keeps a "known" stack really in the dictionary: it
 * {@link #forget}s a service before deleting any of its dictionary entries (sweeps, retirement), and
 * {@link #clear}s everything whenever the store may have changed under it (processor {@code init}:
 * a task revived after an aborted transaction restores its stores from the changelog). Ids only, no
 * frames: at most {@code maxIds} over all services (a few tens of bytes each), and when full it
 * starts again empty — LRU would hit nothing when a fleet cycles through more services than fit.
 * Not thread-safe: one per processor.
 */
public final class DictionaryPresence {

  private final int maxIds;
  private final Map<String, LongIndex> byService = new HashMap<>();
  private int size;

  /** @param maxIds most stack ids remembered over all services, at least 1 */
  public DictionaryPresence(int maxIds) {
    if (maxIds < 1) {
      throw new IllegalArgumentException("maxIds must be at least 1: " + maxIds);
    }
    this.maxIds = maxIds;
  }

  /** Whether {@code service}'s dictionary is known to hold stack {@code id}. */
  public boolean holds(String service, long id) {
    LongIndex ids = byService.get(service);
    return ids != null && ids.indexOf(id) >= 0;
  }

  /** Records that {@code service}'s dictionary holds {@code id} (just read there, or written). */
  public void add(String service, long id) {
    if (size >= maxIds) {
      clear();
    }
    LongIndex ids = byService.computeIfAbsent(service, s -> new LongIndex(64));
    int before = ids.size();
    ids.add(id);
    size += ids.size() - before;
  }

  /** Forgets what is known of {@code service}: call before deleting any of its dictionary entries. */
  public void forget(String service) {
    LongIndex ids = byService.remove(service);
    if (ids != null) {
      size -= ids.size();
    }
  }

  /** Forgets everything. */
  public void clear() {
    byService.clear();
    size = 0;
  }

  /** Stack ids remembered, over all services. */
  public int size() {
    return size;
  }
}
