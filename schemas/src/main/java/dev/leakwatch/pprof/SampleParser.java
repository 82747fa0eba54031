package dev.leakwatch.pprof;

import static dev.leakwatch.pprof.WireReader.LEN;

import dev.leakwatch.pprof.ProfileDecodeException.Reason;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Second pass over the samples of a profile: reads each one straight into a {@link Sample} against
 * the already resolved location and string tables, through scratch lists reused from sample to
 * sample, so the only allocations are the samples themselves.
 *
 * <p>Labels follow the format's rule: a label with a string value is a string label; otherwise it
 * is numeric if its number or unit is set; a label with neither is ignored (as pprof does).
 */
final class SampleParser {
  private final RawProfile raw;
  private final DecodeLimits limits;
  private final String[] strings;
  private final int typeCount;
  private final IdTable<Location> locById;

  // scratch, cleared per sample
  private final LongList ids = new LongList(64);
  private final LongList values = new LongList(8);
  private final LongList labelKey = new LongList(4);
  private final LongList labelStr = new LongList(4);
  private final LongList labelNum = new LongList(4);
  private final LongList labelUnit = new LongList(4);
  private final IntList labelOffset = new IntList(4);

  SampleParser(RawProfile raw, DecodeLimits limits, String[] strings, int typeCount,
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
    // One reader moving forward from sample to sample (they were found in increasing order); its
    // limit stays the end of the input, which keeps CodedInputStream on its fast varint path.
    WireReader r = new WireReader(raw.buf, raw.base, raw.length);
    for (int i = 0; i < n; i++) {
      out.add(sample(r, i));
    }
    return out;
  }

  private Sample sample(WireReader r, int i) {
    int off = raw.sampleOffset.get(i);
    int stop = raw.sampleEnd.get(i);
    r.skipTo(raw.sampleStart.get(i));
    r.enter("sample", i);
    ids.clear();
    values.clear();
    clearLabels();
    while (r.more(stop)) {
      int t = r.tag();
      switch (t >>> 3) {
        case 1 -> r.repeatedVarints(t, ids);
        case 2 -> r.repeatedVarints(t, values);
        case 3 -> label(r, t, off);
        default -> r.skip(t);
      }
    }
    if (ids.size() > limits.maxStackDepth()) {
      // every location is at least one frame
      throw fail(Reason.STACK_TOO_DEEP, i, off, "stack of " + ids.size()
          + " locations exceeds limit maxStackDepth=" + limits.maxStackDepth());
    }
    if (values.size() != typeCount) {
      throw fail(Reason.VALUE_COUNT_MISMATCH, i, off,
          values.size() + " values for " + typeCount + " sample types");
    }
    Location[] locs = new Location[ids.size()];
    int depth = 0;
    for (int j = 0; j < locs.length; j++) {
      long id = ids.get(j);
      Location loc = locById.get(id);
      if (loc == null) {
        throw fail(Reason.UNRESOLVED_LOCATION, i, off, "location id "
            + Long.toUnsignedString(id) + " (stack position " + j
            + ") is not in the location table");
      }
      depth += loc.frameCount();
      locs[j] = loc;
    }
    if (depth > limits.maxStackDepth()) {
      throw fail(Reason.STACK_TOO_DEEP, i, off,
          "stack depth " + depth + " frames exceeds limit maxStackDepth=" + limits.maxStackDepth());
    }
    long[] v = values.copyRange(0, typeCount);
    List<Location> stack = new ArrayView<>(locs);
    return switch (labelKey.size()) {
      case 0 -> Sample.owning(v, stack, Map.of(), Map.of(), Map.of(), depth);
      case 1 -> oneLabel(i, v, stack, depth);
      default -> labeled(i, v, stack, depth);
    };
  }

  private void clearLabels() {
    labelKey.clear();
    labelStr.clear();
    labelNum.clear();
    labelUnit.clear();
    labelOffset.clear();
  }

  private void label(WireReader r, int tag, int sampleOffset) {
    r.expect(tag, LEN);
    if (labelKey.size() >= limits.maxLabelsPerSample()) {
      throw r.error(Reason.TOO_MANY_LABELS, sampleOffset,
          "label count exceeds limit maxLabelsPerSample=" + limits.maxLabelsPerSample());
    }
    labelOffset.add(r.tagOffset());
    long key = 0;
    long str = 0;
    long num = 0;
    long unit = 0;
    int end = r.beginLength();
    while (r.more(end)) {
      int t = r.tag();
      switch (t >>> 3) {
        case 1 -> key = r.scalar(t);
        case 2 -> str = r.scalar(t);
        case 3 -> num = r.scalar(t);
        case 4 -> unit = r.scalar(t);
        default -> r.skip(t);
      }
    }
    labelKey.add(key);
    labelStr.add(str);
    labelNum.add(num);
    labelUnit.add(unit);
  }

  /** The common case (Go heap profiles: "bytes" = object size) without building maps to copy. */
  private Sample oneLabel(int i, long[] v, List<Location> stack, int depth) {
    int off = labelOffset.get(0);
    String key = str(labelKey.get(0), i, off, "label key");
    long strIdx = labelStr.get(0);
    long unitIdx = labelUnit.get(0);
    long num = labelNum.get(0);
    if (strIdx != 0) {
      return Sample.owning(v, stack, Map.of(key, List.of(str(strIdx, i, off, "label str"))),
          Map.of(), Map.of(), depth);
    }
    if (num == 0 && unitIdx == 0) {
      return Sample.owning(v, stack, Map.of(), Map.of(), Map.of(), depth);
    }
    Map<String, List<String>> units = unitIdx == 0 ? Map.of()
        : Map.of(key, List.of(str(unitIdx, i, off, "label num_unit")));
    return Sample.owning(v, stack, Map.of(), Map.of(key, List.of(num)), units, depth);
  }

  private Sample labeled(int i, long[] v, List<Location> stack, int depth) {
    Map<String, List<String>> labels = new LinkedHashMap<>();
    Map<String, List<Long>> nums = new LinkedHashMap<>();
    Map<String, List<String>> units = new LinkedHashMap<>();
    for (int j = 0; j < labelKey.size(); j++) {
      int off = labelOffset.get(j);
      String key = str(labelKey.get(j), i, off, "label key");
      long strIdx = labelStr.get(j);
      long unitIdx = labelUnit.get(j);
      long num = labelNum.get(j);
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
    return Sample.owning(v, stack, Sample.frozen(labels), Sample.frozen(nums),
        Sample.frozen(units), depth);
  }

  private static void pad(List<String> units, int size) {
    while (units.size() < size) {
      units.add("");
    }
  }

  private String str(long index, int sample, int off, String field) {
    return ProfileAssembler.resolveString(strings, index, "sample", sample, off, field);
  }

  private static ProfileDecodeException fail(Reason reason, int sample, int off, String what) {
    return ProfileAssembler.fail(reason, "sample", sample, off, what);
  }
}
