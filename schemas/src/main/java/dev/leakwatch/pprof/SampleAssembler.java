package dev.leakwatch.pprof;

import static dev.leakwatch.pprof.ProfileAssembler.fail;

import dev.leakwatch.pprof.ProfileDecodeException.Reason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves the raw samples of a {@link RawProfile} against an already resolved location table.
 *
 * <p>Labels follow the format's rule: a label with a string value is a string label; otherwise it
 * is numeric if its number or unit is set; a label with neither is ignored (as pprof does).
 */
final class SampleAssembler {
  private final RawProfile raw;
  private final DecodeLimits limits;
  private final String[] strings;
  private final int typeCount;
  private final IdTable<Location> locById;

  SampleAssembler(
      RawProfile raw, DecodeLimits limits, String[] strings, int typeCount,
      IdTable<Location> locById) {
    this.raw = raw;
    this.limits = limits;
    this.strings = strings;
    this.typeCount = typeCount;
    this.locById = locById;
  }

  List<Sample> samples() {
    int n = raw.sampleCount();
    List<Sample> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(sample(i));
    }
    return out;
  }

  private Sample sample(int i) {
    int off = raw.sampleOffset.get(i);
    int valCount = raw.sampleValCount.get(i);
    if (valCount != typeCount) {
      throw fail(Reason.VALUE_COUNT_MISMATCH, "sample", i, off,
          valCount + " values for " + typeCount + " sample types");
    }
    int locStart = raw.sampleLocStart.get(i);
    int locCount = raw.sampleLocCount.get(i);
    Location[] locs = new Location[locCount];
    int depth = 0;
    for (int j = 0; j < locCount; j++) {
      long id = raw.sampleLocIds.get(locStart + j);
      Location loc = locById.get(id);
      if (loc == null) {
        throw fail(Reason.UNRESOLVED_LOCATION, "sample", i, off,
            "location id " + Long.toUnsignedString(id) + " (stack position " + j
                + ") is not in the location table");
      }
      depth += loc.frames().size();
      locs[j] = loc;
    }
    if (depth > limits.maxStackDepth()) {
      throw fail(Reason.STACK_TOO_DEEP, "sample", i, off,
          "stack depth " + depth + " frames exceeds limit maxStackDepth=" + limits.maxStackDepth());
    }
    long[] values = raw.sampleValues.copyRange(raw.sampleValStart.get(i), valCount);
    List<Location> stack = Collections.unmodifiableList(Arrays.asList(locs));
    int labelCount = raw.sampleLabelCount.get(i);
    if (labelCount == 0) {
      return Sample.owning(values, stack, Map.of(), Map.of(), Map.of());
    }
    return labeled(i, values, stack, raw.sampleLabelStart.get(i), labelCount);
  }

  private Sample labeled(int i, long[] values, List<Location> stack, int start, int count) {
    Map<String, List<String>> labels = new LinkedHashMap<>();
    Map<String, List<Long>> nums = new LinkedHashMap<>();
    Map<String, List<String>> units = new LinkedHashMap<>();
    for (int j = start; j < start + count; j++) {
      int off = raw.labelOffset.get(j);
      String key = str(raw.labelKey.get(j), i, off, "label key");
      long strIdx = raw.labelStr.get(j);
      long unitIdx = raw.labelUnit.get(j);
      long num = raw.labelNum.get(j);
      if (strIdx != 0) {
        labels.computeIfAbsent(key, k -> new ArrayList<>(1)).add(str(strIdx, i, off, "label str"));
      } else if (num != 0 || unitIdx != 0) {
        List<Long> keyNums = nums.computeIfAbsent(key, k -> new ArrayList<>(1));
        if (unitIdx != 0) {
          List<String> keyUnits = units.computeIfAbsent(key, k -> new ArrayList<>(1));
          pad(keyUnits, keyNums.size());
          keyUnits.add(str(unitIdx, i, off, "label num_unit"));
        }
        keyNums.add(num);
      }
    }
    units.forEach((k, u) -> pad(u, nums.get(k).size()));
    return Sample.owning(
        values, stack, Sample.frozen(labels), Sample.frozen(nums), Sample.frozen(units));
  }

  private static void pad(List<String> units, int size) {
    while (units.size() < size) {
      units.add("");
    }
  }

  private String str(long index, int sample, int off, String field) {
    return ProfileAssembler.resolveString(strings, index, "sample", sample, off, field);
  }
}
