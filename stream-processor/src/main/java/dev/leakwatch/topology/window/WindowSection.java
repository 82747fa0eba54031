package dev.leakwatch.topology.window;

import dev.leakwatch.detect.LongIndex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One section (heap or goroutines) of a {@link ServiceWindow}: per stack id, the sums of its {@link
 * StackValues} counters, in the order the stacks were first added. Sums live in primitive arrays
 * behind a {@link LongIndex}, because every capture of every instance folds hundreds of stacks into
 * its service's window and a boxed map allocated two objects per stack and capture. Mutable; not
 * thread-safe.
 */
final class WindowSection {
  /** Counters of {@link #sum}, in {@link StackValues}' order. */
  static final int INUSE_BYTES = 0;
  static final int INUSE_OBJECTS = 1;
  static final int ALLOC_BYTES = 2;
  static final int ALLOC_OBJECTS = 3;
  static final int GOROUTINES = 4;
  private static final int COUNTERS = 5;

  private LongIndex index = new LongIndex(16);
  private long[] ids = new long[16];
  // counter c of stack i at sums[i * COUNTERS + c]
  private long[] sums = new long[16 * COUNTERS];
  // the map view, built on first use after a change
  private Map<Long, StackValues> view;

  /** Adds {@code v}'s counters to its stack's sums. */
  void add(StackValues v) {
    int i = index.add(v.stackId());
    if (i == ids.length) {
      ids = Arrays.copyOf(ids, i * 2);
      sums = Arrays.copyOf(sums, i * 2 * COUNTERS);
    }
    ids[i] = v.stackId();
    int at = i * COUNTERS;
    sums[at + INUSE_BYTES] += v.inuseBytes();
    sums[at + INUSE_OBJECTS] += v.inuseObjects();
    sums[at + ALLOC_BYTES] += v.allocBytes();
    sums[at + ALLOC_OBJECTS] += v.allocObjects();
    sums[at + GOROUTINES] += v.goroutines();
    view = null;
  }

  /** Number of stacks. */
  int size() {
    return index.size();
  }

  /** Stack id of the {@code i}-th stack, {@code 0 <= i < size()}. */
  long id(int i) {
    return ids[i];
  }

  /** Counter {@code c} ({@link #INUSE_BYTES} ... {@link #GOROUTINES}) of the {@code i}-th stack. */
  long sum(int i, int c) {
    return sums[i * COUNTERS + c];
  }

  /** The sums of the {@code i}-th stack. */
  StackValues values(int i) {
    int at = i * COUNTERS;
    return new StackValues(ids[i], sums[at + INUSE_BYTES], sums[at + INUSE_OBJECTS], sums[at + ALLOC_BYTES],
        sums[at + ALLOC_OBJECTS], sums[at + GOROUTINES]);
  }

  /** Whether the section has a stack (not counting stacks summed under OTHER). */
  boolean contains(long stackId) {
    return index.indexOf(stackId) >= 0;
  }

  /** The sums of a stack, or null when the section does not have it. */
  StackValues get(long stackId) {
    int i = index.indexOf(stackId);
    return i < 0 ? null : values(i);
  }

  /**
   * Keeps the {@code maxStacks} heaviest stacks and sums the rest under {@link
   * dev.leakwatch.detect.site.StackIds#OTHER} (see {@link ContributionExtractor#cap}), once the section
   * holds more than {@code maxStacks + 1}.
   */
  void cap(int maxStacks) {
    if (size() <= maxStacks + 1) {
      return;
    }
    List<StackValues> all = new ArrayList<>(size());
    for (int i = 0; i < size(); i++) {
      all.add(values(i));
    }
    List<StackValues> kept = ContributionExtractor.cap(all, maxStacks);
    index = new LongIndex(kept.size());
    ids = new long[Math.max(16, kept.size())];
    sums = new long[ids.length * COUNTERS];
    kept.forEach(this::add);
  }

  /** The sums per stack id, in first-added order (unmodifiable). */
  Map<Long, StackValues> asMap() {
    Map<Long, StackValues> m = view;
    if (m == null) {
      Map<Long, StackValues> built = new LinkedHashMap<>();
      for (int i = 0; i < size(); i++) {
        built.put(ids[i], values(i));
      }
      m = Collections.unmodifiableMap(built);
      view = m;
    }
    return m;
  }
}
