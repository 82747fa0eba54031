package dev.leakwatch.pprof;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One sample of a profile: a call stack, one value per sample type of its profile, and labels.
 *
 * <p>Immutable and thread-safe. Value units are those of the profile's {@link
 * Profile#sampleTypes()} at the same index (e.g. bytes for {@code inuse_space}).
 */
public final class Sample {
  private final long[] values;
  private final List<Location> locations;
  private final Map<String, List<String>> labels;
  private final Map<String, List<Long>> numLabels;
  private final Map<String, List<String>> numUnits;
  private final int depth;
  // Built on first use; a racing second build produces an equal immutable list, so no locking.
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
    this(values.clone(), List.copyOf(locations), frozen(labels), frozen(numLabels),
        frozen(numUnits), depthOf(locations));
  }

  private static int depthOf(List<Location> locations) {
    int d = 0;
    for (Location l : locations) {
      d += l.frameCount();
    }
    return d;
  }

  /** Takes ownership of already-immutable arguments without copying (for the decoder's hot path). */
  private Sample(
      long[] values,
      List<Location> locations,
      Map<String, List<String>> labels,
      Map<String, List<Long>> numLabels,
      Map<String, List<String>> numUnits,
      int depth) {
    this.values = values;
    this.locations = locations;
    this.labels = labels;
    this.numLabels = numLabels;
    this.numUnits = numUnits;
    this.depth = depth;
  }

  /**
   * Builds a sample from arguments the caller guarantees are never modified afterwards: {@code
   * values} is owned by the sample, the list and maps must be immutable, {@code depth} must be
   * the sum of the locations' frame counts.
   */
  static Sample owning(
      long[] values,
      List<Location> locations,
      Map<String, List<String>> labels,
      Map<String, List<Long>> numLabels,
      Map<String, List<String>> numUnits,
      int depth) {
    return new Sample(values, locations, labels, numLabels, numUnits, depth);
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
    return values[i];
  }

  /** A copy of all values, one per sample type. */
  public long[] values() {
    return values.clone();
  }

  /** Number of values (equals the profile's number of sample types). */
  public int valueCount() {
    return values.length;
  }

  /** The stack as locations, leaf first. */
  public List<Location> locations() {
    return locations;
  }

  /**
   * The stack as frames, leaf first, with inlined calls expanded (an inlined callee comes before its
   * caller). Frames are shared with other samples through their locations.
   */
  public List<Frame> stack() {
    List<Frame> s = stack;
    if (s == null) {
      List<Frame> out = new ArrayList<>(depth);
      for (Location l : locations) {
        out.addAll(l.frames());
      }
      s = List.copyOf(out);
      stack = s;
    }
    return s;
  }

  /** Number of frames in {@link #stack()} without building it. */
  public int depth() {
    return depth;
  }

  /** String labels (e.g. pprof goroutine labels); key to values in profile order. */
  public Map<String, List<String>> labels() {
    return labels;
  }

  /** Numeric labels (e.g. {@code bytes} = object size in Go heap profiles). */
  public Map<String, List<Long>> numLabels() {
    return numLabels;
  }

  /** Units of {@link #numLabels()}, key to one unit per value; empty map when none were given. */
  public Map<String, List<String>> numUnits() {
    return numUnits;
  }

  /** Value equality over values, locations and labels. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Sample other
        && Arrays.equals(values, other.values)
        && locations.equals(other.locations)
        && labels.equals(other.labels)
        && numLabels.equals(other.numLabels)
        && numUnits.equals(other.numUnits);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(values), locations, labels, numLabels, numUnits);
  }

  @Override
  public String toString() {
    return "Sample{values=" + Arrays.toString(values) + ", stack=" + stack() + "}";
  }
}
