package dev.leakwatch.pprof;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The labels of all samples of one decoded profile, already resolved to strings and validated,
 * kept flat: sample {@code i} owns entries {@code [from, to)}. A {@link Sample} turns its range into
 * maps only when they are asked for ({@link #maps}), since most consumers never look at labels.
 *
 * <p>Each entry is a string label ({@code str} non-null) or a numeric one ({@code str} null, with
 * {@code num} and an optional {@code unit}, null when the profile gave none). Labels the format
 * says to ignore (neither a string nor a number or unit) are never added. Immutable once built.
 */
final class SampleLabels {
  /** The three label maps of one sample, as {@link Sample} returns them. */
  record Maps(
      Map<String, List<String>> labels,
      Map<String, List<Long>> numLabels,
      Map<String, List<String>> numUnits) {
    static final Maps NONE = new Maps(Map.of(), Map.of(), Map.of());
  }

  private final String[] keys;
  private final String[] strs;
  private final long[] nums;
  private final String[] units;

  private SampleLabels(String[] keys, String[] strs, long[] nums, String[] units) {
    this.keys = keys;
    this.strs = strs;
    this.nums = nums;
    this.units = units;
  }

  /**
   * The maps of entries {@code [from, to)}: keys in first-seen order for one key, sorted when there
   * are several; values in profile order; units padded with "" so each key has one unit per value
   * when any of its values has one.
   */
  Maps maps(int from, int to) {
    if (from == to) {
      return Maps.NONE;
    }
    Map<String, List<String>> labels = new LinkedHashMap<>();
    Map<String, List<Long>> numLabels = new LinkedHashMap<>();
    Map<String, List<String>> numUnits = new LinkedHashMap<>();
    for (int j = from; j < to; j++) {
      String key = keys[j];
      if (strs[j] != null) {
        labels.computeIfAbsent(key, k -> new ArrayList<>(1)).add(strs[j]);
        continue;
      }
      List<Long> keyNums = numLabels.computeIfAbsent(key, k -> new ArrayList<>(1));
      if (units[j] != null) {
        List<String> keyUnits = numUnits.computeIfAbsent(key, k -> new ArrayList<>(1));
        pad(keyUnits, keyNums.size());
        keyUnits.add(units[j]);
      }
      keyNums.add(nums[j]);
    }
    numUnits.forEach((k, u) -> pad(u, numLabels.get(k).size()));
    return new Maps(Sample.frozen(labels), Sample.frozen(numLabels), Sample.frozen(numUnits));
  }

  private static void pad(List<String> units, int size) {
    while (units.size() < size) {
      units.add("");
    }
  }

  /** Collects entries while a profile is decoded; {@link #build} hands the arrays over. */
  static final class Builder {
    private String[] keys;
    private String[] strs;
    private long[] nums;
    private String[] units;
    private int size;

    Builder(int initialCapacity) {
      int n = Math.max(4, initialCapacity);
      keys = new String[n];
      strs = new String[n];
      nums = new long[n];
      units = new String[n];
    }

    int size() {
      return size;
    }

    void addString(String key, String str) {
      add(key, str, 0, null);
    }

    void addNumber(String key, long num, String unit) {
      add(key, null, num, unit);
    }

    private void add(String key, String str, long num, String unit) {
      if (size == keys.length) {
        int n = size * 2;
        keys = Arrays.copyOf(keys, n);
        strs = Arrays.copyOf(strs, n);
        nums = Arrays.copyOf(nums, n);
        units = Arrays.copyOf(units, n);
      }
      keys[size] = key;
      strs[size] = str;
      nums[size] = num;
      units[size] = unit;
      size++;
    }

    /** The finished table; the builder must not be used afterwards. */
    SampleLabels build() {
      return new SampleLabels(keys, strs, nums, units);
    }
  }
}
