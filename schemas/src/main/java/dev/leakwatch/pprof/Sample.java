package dev.leakwatch.pprof;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One sample of a profile: a call stack, one value per sample type of its profile, and labels.
 *
 * <p>Immutable and thread-safe. Value units are those of the profile's {@link
 * Profile#sampleTypes()} at the same index (e.g. bytes for {@code inuse_space}).
 *
 * <p>Decoded samples are light: their values and stacks are slices of arrays shared by all samples
 * of the profile, and their label maps and frame list are built on first use (everything was
 * validated by the decoder already, so building them cannot fail).
 */
public final class Sample {
  // values[valueFrom, valueFrom + valueCount)
  private final long[] values;
  private final int valueFrom;
  private final int valueCount;
  // the stack, leaf first: entry k in [locFrom, locFrom + locCount) is locs[k], or locs[id k of idx]
  // when idx is not null (decoded samples: idx holds location ids as an IdList's array, locs the
  // table by id)
  private final Location[] locs;
  private final byte[] idx;
  private final int locFrom;
  private final int locCount;
  // frames in the stack; -1 until first asked when the decoder left it to be counted then (an int
  // written once with the same value by any racing thread, so no locking)
  private int depth;
  // labels still flat (decoded samples), or null when built from maps
  private final SampleLabels labelSource;
  private final int labelFrom;
  private final int labelTo;
  // Built on first use; a racing second build produces an equal immutable value, so no locking.
  private SampleLabels.Maps labels;
  private List<Frame> stack;

  /**
   * @param values one value per sample type (copied)
   * @param locations the stack, leaf first
   * @param labels string labels, key to values; empty map when none
   * @param numLabels numeric labels, key to values; empty map when none
   * @param numUnits units of the numeric labels, key to one unit per value (empty string when the
   *     profile gave none); empty map when the profile names no unit at all
   */
  public Sample(
      long[] values,
      List<Location> locations,
      Map<String, List<String>> labels,
      Map<String, List<Long>> numLabels,
      Map<String, List<String>> numUnits) {
    this.values = values.clone();
    this.valueFrom = 0;
    this.valueCount = this.values.length;
    this.locs = List.copyOf(locations).toArray(new Location[0]);
    this.idx = null;
    this.locFrom = 0;
    this.locCount = locs.length;
    int d = 0;
    for (Location l : locs) {
      d += l.frameCount();
    }
    this.depth = d;
    this.labelSource = null;
    this.labelFrom = 0;
    this.labelTo = 0;
    this.labels = new SampleLabels.Maps(frozen(labels), frozen(numLabels), frozen(numUnits));
  }

  /**
   * A decoded sample over shared arrays that nobody writes to any more: values {@code
   * values[valueFrom, valueFrom + valueCount)}, stack entries {@code k} in {@code [locFrom, locFrom
   * + locCount)}, each {@code locs[id k of idx]} with {@code idx} an {@link IdList}'s array ({@code
   * locs[k]} when {@code idx} is null), all non-null and with frame counts summing to {@code depth}
   * (-1: count them on first use), labels {@code [labelFrom, labelTo)} of {@code labelSource}.
   */
  Sample(long[] values, int valueFrom, int valueCount, Location[] locs, byte[] idx, int locFrom,
      int locCount, int depth, SampleLabels labelSource, int labelFrom, int labelTo) {
    this.values = values;
    this.valueFrom = valueFrom;
    this.valueCount = valueCount;
    this.locs = locs;
    this.idx = idx;
    this.locFrom = locFrom;
    this.locCount = locCount;
    this.depth = depth;
    this.labelSource = labelSource;
    this.labelFrom = labelFrom;
    this.labelTo = labelTo;
  }

  /** An immutable deep copy of a label map (sorted by key when it has several). */
  static <V> Map<String, List<V>> frozen(Map<String, List<V>> m) {
    if (m.isEmpty()) {
      return Map.of();
    }
    if (m.size() == 1) {
      Map.Entry<String, List<V>> e = m.entrySet().iterator().next();
      return Map.of(e.getKey(), List.copyOf(e.getValue()));
    }
    Map<String, List<V>> out = new java.util.TreeMap<>();
    m.forEach((k, v) -> out.put(k, List.copyOf(v)));
    return java.util.Collections.unmodifiableMap(out);
  }

  /** The value for sample type {@code i}; throws {@link IndexOutOfBoundsException} if absent. */
  public long value(int i) {
    return values[valueFrom + Objects.checkIndex(i, valueCount)];
  }

  /** A copy of all values, one per sample type. */
  public long[] values() {
    return Arrays.copyOfRange(values, valueFrom, valueFrom + valueCount);
  }

  /** Number of values (equals the profile's number of sample types). */
  public int valueCount() {
    return valueCount;
  }

  /** Number of locations in the stack: {@code locations().size()} without a list. */
  public int locationCount() {
    return locCount;
  }

  /**
   * The {@code k}-th location of the stack, leaf first: {@code locations().get(k)} without a list, for
   * loops over every stack entry of a profile.
   *
   * @throws IndexOutOfBoundsException unless {@code 0 <= k < locationCount()}
   */
  public Location location(int k) {
    return entry(locFrom + Objects.checkIndex(k, locCount));
  }

  /** The stack as locations, leaf first (an unmodifiable list). */
  public List<Location> locations() {
    return idx == null ? new ArrayView<>(locs, locFrom, locCount)
        : new IndexedView<>(locs, idx, locFrom, locCount);
  }

  /**
   * The stack as frames, leaf first, with inlined calls expanded (an inlined callee comes before its
   * caller). Frames are shared with other samples through their locations.
   */
  public List<Frame> stack() {
    List<Frame> s = stack;
    if (s == null) {
      Frame[] out = new Frame[depth()];
      int n = 0;
      for (int i = locFrom; i < locFrom + locCount; i++) {
        List<Frame> frames = entry(i).frames();
        for (int k = 0; k < frames.size(); k++) {
          out[n++] = frames.get(k);
        }
      }
      s = new ArrayView<>(out);
      stack = s;
    }
    return s;
  }

  /** Number of frames in {@link #stack()} without building it. */
  public int depth() {
    int d = depth;
    if (d < 0) {
      d = 0;
      for (int i = locFrom; i < locFrom + locCount; i++) {
        d += entry(i).frameCount();
      }
      depth = d;
    }
    return d;
  }

  private SampleLabels.Maps maps() {
    SampleLabels.Maps m = labels;
    if (m == null) {
      m = labelSource.maps(labelFrom, labelTo);
      labels = m;
    }
    return m;
  }

  /** String labels (e.g. pprof goroutine labels); key to values in profile order. */
  public Map<String, List<String>> labels() {
    return maps().labels();
  }

  /** Numeric labels (e.g. {@code bytes} = object size in Go heap profiles). */
  public Map<String, List<Long>> numLabels() {
    return maps().numLabels();
  }

  /** Units of {@link #numLabels()}, key to one unit per value; empty map when none were given. */
  public Map<String, List<String>> numUnits() {
    return maps().numUnits();
  }

  /** Value equality over values, locations and labels. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Sample other
        && Arrays.equals(values, valueFrom, valueFrom + valueCount,
            other.values, other.valueFrom, other.valueFrom + other.valueCount)
        && sameStack(other)
        && maps().equals(other.maps());
  }

  private boolean sameStack(Sample other) {
    if (locCount != other.locCount) {
      return false;
    }
    for (int k = 0; k < locCount; k++) {
      if (!Objects.equals(entry(locFrom + k), other.entry(other.locFrom + k))) {
        return false;
      }
    }
    return true;
  }

  /** Stack entry {@code k} (an absolute position in the shared arrays). */
  private Location entry(int k) {
    return idx == null ? locs[k] : locs[IdList.get(idx, k)];
  }

  @Override
  public int hashCode() {
    int h = 1;
    for (int i = valueFrom; i < valueFrom + valueCount; i++) {
      h = 31 * h + Long.hashCode(values[i]);
    }
    SampleLabels.Maps m = maps();
    return Objects.hash(h, locations(), m.labels(), m.numLabels(), m.numUnits());
  }

  @Override
  public String toString() {
    return "Sample{values=" + Arrays.toString(values()) + ", stack=" + stack() + "}";
  }
}
