package dev.leakwatch.detect.series;

import java.util.List;

/**
 * The tracked sites' eviction keys ({@link TrackedSite#WEAKEST_FIRST}) computed once per admission
 * round, mirroring the sites tracked before it: admitting one capture's untracked sites asks for the weakest site
 * once per candidate, and recomputing every site's retention floor each time made admission cost
 * candidates × sites × window.
 *
 * <p>{@link #weakest()} returns the same index {@code Collections.min(sites, WEAKEST_FIRST)} would:
 * the first minimal site in list order. Not thread-safe.
 */
final class WeakestSites {
  private final long[] floor;
  private final boolean[] holding;
  private final int[] tracked;
  private final long[] last;
  private int size;

  WeakestSites(List<TrackedSite> sites) {
    int n = sites.size();
    floor = new long[n];
    holding = new boolean[n];
    tracked = new int[n];
    last = new long[n];
    for (TrackedSite t : sites) {
      floor[size] = t.retentionFloor();
      last[size] = t.lastValue();
      holding[size] = last[size] != 0;
      tracked[size] = t.tracked();
      size++;
    }
  }

  /**
   * Removes the weakest of {@code sites} until at most {@code maxSites} remain, as admission would have
   * pushed them out: a series stored under a larger {@code maxTrackedSites} (the processor restarted with a
   * lower one). Admission only swaps one site for another, so without this the lower bound never shrank
   * a stored series, and its state stayed as large as the old bound let it grow.
   */
  static void trim(List<TrackedSite> sites, int maxSites) {
    if (sites.size() <= maxSites) {
      return;
    }
    WeakestSites weak = new WeakestSites(sites);
    while (sites.size() > maxSites) {
      int weakest = weak.weakest();
      sites.remove(weakest);
      weak.remove(weakest);
    }
  }

  /** Removes the keys at {@code index} (as {@code List.remove(int)} removes the site). */
  void remove(int index) {
    int tail = size - index - 1;
    System.arraycopy(floor, index + 1, floor, index, tail);
    System.arraycopy(holding, index + 1, holding, index, tail);
    System.arraycopy(tracked, index + 1, tracked, index, tail);
    System.arraycopy(last, index + 1, last, index, tail);
    size--;
  }

  /** Index of the weakest site; the list must not be empty. */
  int weakest() {
    int w = 0;
    for (int i = 1; i < size; i++) {
      if (weaker(i, w)) {
        w = i;
      }
    }
    return w;
  }

  /** {@link TrackedSite#retentionFloor()} of the site at {@code index}. */
  long floor(int index) {
    return floor[index];
  }

  private boolean weaker(int a, int b) {
    if (floor[a] != floor[b]) {
      return floor[a] < floor[b];
    }
    if (holding[a] != holding[b]) {
      return !holding[a];
    }
    if (tracked[a] != tracked[b]) {
      return tracked[a] < tracked[b];
    }
    return last[a] < last[b];
  }
}
