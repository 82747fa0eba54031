package dev.leakwatch.pprof;

import static dev.leakwatch.pprof.WireReader.LEN;

import dev.leakwatch.pprof.ProfileDecodeException.Reason;
import java.util.Arrays;
import java.util.List;

/**
 * Second pass over the samples of a profile, once the location and string tables are resolved:
 * reads every sample, checks it completely (wire format, limits, value count, location ids, stack
 * depth, label strings) and stores it flat, then makes light {@link Sample}s over the flat arrays.
 *
 * <p>All samples share one values array, one location array for their stacks and one {@link
 * SampleLabels}; per sample only the {@code Sample} itself is allocated. Checks run in a fixed
 * order per sample (wire problems and label count while reading, then stack length, value count,
 * unresolved ids, frame depth, label strings), so the first bad sample is reported the same way
 * whatever else is wrong later in the profile.
 *
 * <p>Labels follow the format's rule: a label with a string value is a string label; otherwise it
 * is numeric if its number or unit is set; a label with neither is ignored (as pprof does), but its
 * key must still resolve.
 */
final class SampleParser {
  private final RawProfile raw;
  private final DecodeLimits limits;
  private final String[] strings;
  private final int typeCount;
  private final IdTable<Location> locById;
  private static final int MAX_INITIAL_STACKS = 1 << 16;

  // scratch, cleared per sample
  private final LongList ids = new LongList(64);
  private final LongList labelKey = new LongList(4);
  private final LongList labelStr = new LongList(4);
  private final LongList labelNum = new LongList(4);
  private final LongList labelUnit = new LongList(4);
  private final IntList labelOffset = new IntList(4);

  // the stack of the sample being read: stacks[stackSize, stackSize + stackCount), null where an
  // id did not resolve; the first such id and its position, reported after the other checks
  private int stackCount;
  private int missAt;
  private long missId;
  private final Object[] locByIdDense;

  // every sample, flat: values, stacks (stackEnd[i] is where sample i's ends), labels
  private final LongList values;
  private Location[] stacks;
  private int stackSize;
  private final int[] stackEnd;
  private final int[] depth;
  private final SampleLabels.Builder labels;
  private final int[] labelEnd;

  SampleParser(RawProfile raw, DecodeLimits limits, String[] strings, int typeCount,
      IdTable<Location> locById) {
    this.raw = raw;
    this.limits = limits;
    this.strings = strings;
    this.typeCount = typeCount;
    this.locById = locById;
    this.locByIdDense = locById.dense();
    int n = raw.sampleCount();
    // Every value takes at least a byte, so the sample bytes bound what a hostile count could ask.
    this.values = new LongList((int) Math.min((long) n * typeCount, raw.sampleBytes));
    // Go writes one byte per location id and a few dozen bytes of values and labels per sample:
    // half the sample bytes rarely needs to grow and never wastes much.
    this.stacks = new Location[Math.max(16, Math.min(raw.sampleBytes / 2, MAX_INITIAL_STACKS))];
    this.stackEnd = new int[n];
    this.depth = new int[n];
    this.labels = new SampleLabels.Builder(n);
    this.labelEnd = new int[n];
  }

  List<Sample> samples() {
    int n = raw.sampleCount();
    // One reader moving forward from sample to sample (they were found in increasing order).
    WireReader r = new WireReader(raw.buf, raw.base, raw.length);
    for (int i = 0; i < n; i++) {
      sample(r, i);
    }
    // Only now, with every array final, do the samples see them.
    long[] v = values.array();
    Location[] s = stackSize < stacks.length / 2 ? Arrays.copyOf(stacks, stackSize) : stacks;
    SampleLabels l = labels.build();
    Sample[] out = new Sample[n];
    int stackFrom = 0;
    int labelFrom = 0;
    for (int i = 0; i < n; i++) {
      out[i] = new Sample(v, i * typeCount, typeCount, s, stackFrom, stackEnd[i] - stackFrom,
          depth[i], l, labelFrom, labelEnd[i]);
      stackFrom = stackEnd[i];
      labelFrom = labelEnd[i];
    }
    return new ArrayView<>(out);
  }

  private void sample(WireReader r, int i) {
    int off = raw.sampleOffset.get(i);
    int stop = raw.sampleEnd.get(i);
    int start = raw.sampleStart.get(i);
    r.skipTo(start);
    r.enter("sample", i);
    // room for the usual stack; longer ones grow it in locationIds
    ensureStackRoom(Math.min(stop - start, limits.maxStackDepth()));
    stackCount = 0;
    missAt = -1;
    clearLabels();
    int valuesBefore = values.size();
    while (r.more(stop)) {
      int t = r.tag();
      switch (t >>> 3) {
        case 1 -> locationIds(r, t);
        case 2 -> r.repeatedVarints(t, values);
        case 3 -> label(r, t, off);
        default -> r.skip(t);
      }
    }
    if (stackCount > limits.maxStackDepth()) {
      // every location is at least one frame
      throw fail(Reason.STACK_TOO_DEEP, i, off, "stack of " + stackCount
          + " locations exceeds limit maxStackDepth=" + limits.maxStackDepth());
    }
    int valueCount = values.size() - valuesBefore;
    if (valueCount != typeCount) {
      throw fail(Reason.VALUE_COUNT_MISMATCH, i, off,
          valueCount + " values for " + typeCount + " sample types");
    }
    if (missAt >= 0) {
      throw fail(Reason.UNRESOLVED_LOCATION, i, off, "location id "
          + Long.toUnsignedString(missId) + " (stack position " + missAt
          + ") is not in the location table");
    }
    int frames = 0;
    for (int j = stackSize; j < stackSize + stackCount; j++) {
      frames += stacks[j].frameCount();
    }
    if (frames > limits.maxStackDepth()) {
      throw fail(Reason.STACK_TOO_DEEP, i, off,
          "stack depth " + frames + " frames exceeds limit maxStackDepth=" + limits.maxStackDepth());
    }
    stackSize += stackCount;
    stackEnd[i] = stackSize;
    depth[i] = frames;
    resolveLabels(i);
  }

  /**
   * One location_id field: packed ids go straight from the bytes into the stack through the dense
   * id table; anything else (unpacked, sparse or unknown ids, malformed varints) goes through the
   * general reader.
   */
  private void locationIds(WireReader r, int tag) {
    if ((tag & 7) == LEN && locByIdDense != null) {
      int n = r.packedLookup(locByIdDense, stacks, stackSize + stackCount);
      if (n >= 0) {
        stackCount += n;
        return;
      }
    }
    ids.clear();
    r.repeatedVarints(tag, ids);
    ensureStackRoom(stackCount + ids.size());
    for (int j = 0; j < ids.size(); j++) {
      long id = ids.get(j);
      Location loc = locById.get(id);
      if (loc == null && missAt < 0) {
        missAt = stackCount;
        missId = id;
      }
      stacks[stackSize + stackCount++] = loc;
    }
  }

  /** Makes room for {@code n} entries after the finished stacks. */
  private void ensureStackRoom(int n) {
    if (stacks.length - stackSize < n) {
      stacks = Arrays.copyOf(stacks, Math.max(stacks.length * 2, stackSize + n));
    }
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

  /** Resolves the label strings just read, in label order, into the shared label table. */
  private void resolveLabels(int i) {
    for (int j = 0; j < labelKey.size(); j++) {
      int off = labelOffset.get(j);
      String key = str(labelKey.get(j), i, off, "label key");
      long strIdx = labelStr.get(j);
      long unitIdx = labelUnit.get(j);
      long num = labelNum.get(j);
      if (strIdx != 0) {
        labels.addString(key, str(strIdx, i, off, "label str"));
      } else if (num != 0 || unitIdx != 0) {
        labels.addNumber(key, num, unitIdx == 0 ? null : str(unitIdx, i, off, "label num_unit"));
      }
    }
    labelEnd[i] = labels.size();
  }

  private String str(long index, int sample, int off, String field) {
    return ProfileAssembler.resolveString(strings, index, "sample", sample, off, field);
  }

  private static ProfileDecodeException fail(Reason reason, int sample, int off, String what) {
    return ProfileAssembler.fail(reason, "sample", sample, off, what);
  }
}
