package dev.leakwatch.pprof;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The labels of all samples of one decoded profile, validated, kept flat as indexes into the
 * profile's string table: sample {@code i} owns entries {@code [from, to)}. A {@link Sample} turns
 * its range into maps only when they are asked for ({@link #maps}), since most consumers never look
 * at labels; strings are looked up only then.
 *
 * <p>Each entry is a string label ({@code str} non-zero) or a numeric one ({@code str} 0, with
 * {@code num} and an optional {@code unit}, 0 when the profile gave none). Labels the format says
 * to ignore (neither a string nor a number or unit) are skipped when maps are made. Every index is
 * within the string table (the decoder checks them all). Immutable once built.
 */
final class SampleLabels {
  /** The three label maps of one sample, as {@link Sample} returns them. */
  record Maps(
      Map<String, List<String>> labels,
      Map<String, List<Long>> numLabels,
      Map<String, List<String>> numUnits) {
    static final Maps NONE = new Maps(Map.of(), Map.of(), Map.of());
  }

  private final StringTable strings;
  private final int[] keys;
  private final int[] strs;
  private final long[] nums;
  private final int[] units;

  /**
   * Labels over arrays that nobody writes to any more, entry {@code j} being {@code (keys[j],
   * strs[j], nums[j], units[j])}; every index in range of {@code strings}.
   */
  static SampleLabels over(StringTable strings, int[] keys, int[] strs, long[] nums, int[] units) {
    return new SampleLabels(strings, keys, strs, nums, units);
  }

  private SampleLabels(StringTable strings, int[] keys, int[] strs, long[] nums, int[] units) {
    this.strings = strings;
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
      if (strs[j] == 0 && nums[j] == 0 && units[j] == 0) {
        // neither a string nor a number: the format says to ignore it
        continue;
      }
      String key = strings.get(keys[j]);
      if (strs[j] != 0) {
        labels.computeIfAbsent(key, k -> new ArrayList<>(1)).add(strings.get(strs[j]));
        continue;
      }
      List<Long> keyNums = numLabels.computeIfAbsent(key, k -> new ArrayList<>(1));
      if (units[j] != 0) {
        List<String> keyUnits = numUnits.computeIfAbsent(key, k -> new ArrayList<>(1));
        pad(keyUnits, keyNums.size());
        keyUnits.add(strings.get(units[j]));
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

  /**
   * Collects entries while a profile is decoded; {@link #build} hands the arrays over. Indexes are
   * into {@code strings} and must be checked by the caller.
   */
  static final class Builder {
    private final StringTable strings;
    private int[] keys;
    private int[] strs;
    private long[] nums;
    private int[] units;
    private int size;

    Builder(StringTable strings, int initialCapacity) {
      this.strings = strings;
      int n = Math.max(4, initialCapacity);
      keys = new int[n];
      strs = new int[n];
      nums = new long[n];
      units = new int[n];
    }

    int size() {
      return size;
    }

    /** A string label: key and value string indexes, {@code str} not 0. */
    void addString(int key, int str) {
      add(key, str, 0, 0);
    }

    /** A numeric label: key and unit string indexes, {@code unit} 0 when none. */
    void addNumber(int key, long num, int unit) {
      add(key, 0, num, unit);
    }

    private void add(int key, int str, long num, int unit) {
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
      return new SampleLabels(strings, keys, strs, nums, units);
    }
  }
}
