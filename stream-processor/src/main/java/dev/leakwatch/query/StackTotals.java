package dev.leakwatch.query;

import dev.leakwatch.topology.window.ServiceWindow;
import dev.leakwatch.detect.site.StackIds;
import dev.leakwatch.topology.window.StackValues;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A service's windows over a range, added up: per stack id the sums of the window entries (in-use
 * values summed over every heap capture, allocations during the range, goroutines summed over every
 * goroutine capture), the number of captures and windows, and the instances seen. Windows merge by
 * addition, so the sums are exact whatever the number of windows.
 *
 * <p>At most {@link #MAX_STACKS} stacks per section are kept: when more have been seen, the
 * lightest are summed under {@link StackIds#OTHER}, so totals stay exact. Not thread-safe.
 */
public final class StackTotals {

  /** Most distinct stacks kept per section. */
  public static final int MAX_STACKS = 50_000;

  private long heapCaptures;
  private long goroutineCaptures;
  private int windows;
  private final SortedSet<String> instances = new TreeSet<>();
  private final Map<Long, StackValues> heap = new HashMap<>();
  private final Map<Long, StackValues> goroutines = new HashMap<>();

  /** Adds one window. */
  public void add(ServiceWindow w) {
    windows++;
    heapCaptures += w.heapCaptures();
    goroutineCaptures += w.goroutineCaptures();
    instances.addAll(w.instances());
    addAll(heap, w.heapStacks());
    addAll(goroutines, w.goroutineStacks());
  }

  private static void addAll(Map<Long, StackValues> into, Map<Long, StackValues> from) {
    from.forEach((id, v) -> into.merge(id, v, (a, b) -> sum(id, a, b)));
    if (into.size() > MAX_STACKS) {
      List<StackValues> sorted = into.values().stream()
          .sorted(Comparator.comparingLong(StackTotals::weight).reversed().thenComparingLong(StackValues::stackId))
          .toList();
      into.clear();
      StackValues other = null;
      for (StackValues v : sorted) {
        if (v.stackId() != StackIds.OTHER && into.size() < MAX_STACKS - 1) {
          into.put(v.stackId(), v);
        } else {
          other = sum(StackIds.OTHER, other, v);
        }
      }
      into.put(StackIds.OTHER, other);
    }
  }

  /** The sum of two entries under {@code id}; {@code a} may be null (nothing yet). */
  private static StackValues sum(long id, StackValues a, StackValues b) {
    if (a == null) {
      return new StackValues(id, b.inuseBytes(), b.inuseObjects(), b.allocBytes(), b.allocObjects(), b.goroutines());
    }
    return new StackValues(id, a.inuseBytes() + b.inuseBytes(), a.inuseObjects() + b.inuseObjects(),
        a.allocBytes() + b.allocBytes(), a.allocObjects() + b.allocObjects(), a.goroutines() + b.goroutines());
  }

  private static long weight(StackValues v) {
    return v.inuseBytes() + v.allocBytes() + v.goroutines();
  }

  /** Windows added. */
  public int windows() {
    return windows;
  }

  /** Captures folded into the windows, over all instances, of one section. */
  public long captures(Section s) {
    return s == Section.HEAP ? heapCaptures : goroutineCaptures;
  }

  /** Instances seen in any window, sorted. */
  public SortedSet<String> instances() {
    return Collections.unmodifiableSortedSet(instances);
  }

  /** The sums per stack id of one section (read-only). */
  public Map<Long, StackValues> stacks(Section s) {
    return Collections.unmodifiableMap(s == Section.HEAP ? heap : goroutines);
  }

  /** The non-zero sums of one metric per stack id. */
  public Map<Long, Long> values(Metric m) {
    Map<Long, Long> out = new HashMap<>();
    stacks(m.section()).forEach((id, v) -> {
      long x = m.of(v);
      if (x != 0) {
        out.put(id, x);
      }
    });
    return out;
  }
}
