package dev.leakwatch.pprof;

import static dev.leakwatch.pprof.WireReader.LEN;

import dev.leakwatch.pprof.ProfileDecodeException.Reason;
import java.util.List;

/**
 * Second pass over the samples of a profile that are not all laid out as Go writes them (else
 * {@link GoSampleResolver} finishes what the first pass read), once the location and string tables
 * are resolved: reads every sample field by field with {@link WireReader}, which reports wire
 * problems exactly, checks it completely (wire format, limits, value count, location ids, stack
 * depth, label strings) and stores it flat, then makes light {@link Sample}s over the flat arrays.
 *
 * <p>All samples share one values array, one location array for their stacks and one {@link
 * SampleLabels}; per sample only the {@code Sample} itself is allocated. Checks run in a fixed
 * order per sample (wire problems and label count while reading, then {@link #check}: stack length,
 * value count, unresolved ids, frame depth; then label strings), so the first bad sample is
 * reported the same way whatever else is wrong later in the profile, by either class.
 *
 * <p>Labels follow the format's rule: a label with a string value is a string label; otherwise it
 * is numeric if its number or unit is set; a label with neither is ignored (as pprof does), but its
 * key must still resolve.
 */
final class SampleParser {
  private static final int MAX_INITIAL_STACKS = 1 << 16;

  private final RawProfile raw;
  private final DecodeLimits limits;
  private final StringTable strings;
  private final int typeCount;
  private final IdTable<Location> locById;

  // the sample being read; of its values and location ids only as many are stored as a valid
  // sample has (the rest are counted, for the checks), so a hostile one cannot grow the arrays
  private final LongList ids = new LongList(64);
  private final LabelScratch scratch = new LabelScratch();
  private int valuesFrom;
  private int valueCount;
  private int idsNotStored;
  // labels of all samples so far, those ignored (neither string nor number) included
  private int labelsRead;

  // every sample, flat: values, stacks (stackEnd[i] is where sample i's ends), labels
  private final LongList values;
  private final StackBuilder stacks;
  private final int[] stackEnd;
  private final int[] depth;
  private final SampleLabels.Builder labels;
  private final int[] labelEnd;

  SampleParser(RawProfile raw, DecodeLimits limits, StringTable strings, int typeCount,
      IdTable<Location> locById) {
    this.raw = raw;
    this.limits = limits;
    this.strings = strings;
    this.typeCount = typeCount;
    this.locById = locById;
    int n = raw.sampleCount();
    // Every value takes at least a byte, so the sample bytes bound what a hostile count could ask.
    this.values = new LongList((int) Math.min((long) n * typeCount, raw.sampleBytes));
    // Go writes one byte per location id and a few dozen bytes of values and labels per sample:
    // half the sample bytes rarely needs to grow and never wastes much.
    this.stacks = new StackBuilder(Math.min(raw.sampleBytes / 2, MAX_INITIAL_STACKS));
    this.stackEnd = new int[n];
    this.depth = new int[n];
    this.labels = new SampleLabels.Builder(strings, n);
    this.labelEnd = new int[n];
  }

  /** Reads and checks every sample. */
  List<Sample> samples() {
    int n = raw.sampleCount();
    // One reader moving forward from sample to sample (they were found in increasing order).
    WireReader r = new WireReader(raw.buf, raw.base, raw.length);
    for (int i = 0; i < n; i++) {
      sample(r, i);
    }
    // Only now, with every array final, do the samples see them.
    long[] v = values.array();
    Location[] s = stacks.build();
    SampleLabels l = labels.build();
    Sample[] out = new Sample[n];
    int stackFrom = 0;
    int labelFrom = 0;
    for (int i = 0; i < n; i++) {
      out[i] = new Sample(v, i * typeCount, typeCount, s, null, stackFrom, stackEnd[i] - stackFrom,
          depth[i], l, labelFrom, labelEnd[i]);
      stackFrom = stackEnd[i];
      labelFrom = labelEnd[i];
    }
    return new ArrayView<>(out);
  }

  private void sample(WireReader r, int i) {
    int off = raw.sampleOffset.get(i);
    // the tag and length were read without trouble in the first pass: read them again
    r.skipTo(off);
    r.tag();
    int stop = r.beginLength();
    int start = r.offset();
    valuesFrom = values.size();
    valueCount = 0;
    idsNotStored = 0;
    stacks.begin();
    scratch.clear();
    readGeneral(r, i, off, start, stop);
    check(i, off, stacks.count() + idsNotStored, valueCount, typeCount, stacks.missAt(),
        stacks.missId(), stacks.frames(), limits);
    depth[i] = (int) stacks.frames();
    stackEnd[i] = stacks.finish();
    resolveLabels(i);
  }

  /**
   * The checks of sample {@code i} (at offset {@code off}) once it is read, in their order: {@code
   * count} locations within the depth limit, {@code valueCount} equal to {@code typeCount}, no
   * unresolved id (the first at stack position {@code missAt}, or -1), {@code frames} within the
   * depth limit.
   */
  static void check(int i, int off, int count, int valueCount, int typeCount, int missAt,
      long missId, long frames, DecodeLimits limits) {
    if (count > limits.maxStackDepth()) {
      // every location is at least one frame
      throw fail(Reason.STACK_TOO_DEEP, i, off, "stack of " + count
          + " locations exceeds limit maxStackDepth=" + limits.maxStackDepth());
    }
    if (valueCount != typeCount) {
      throw fail(Reason.VALUE_COUNT_MISMATCH, i, off,
          valueCount + " values for " + typeCount + " sample types");
    }
    if (missAt >= 0) {
      throw fail(Reason.UNRESOLVED_LOCATION, i, off, "location id "
          + Long.toUnsignedString(missId) + " (stack position " + missAt
          + ") is not in the location table");
    }
    if (frames > limits.maxStackDepth()) {
      throw fail(Reason.STACK_TOO_DEEP, i, off,
          "stack depth " + frames + " frames exceeds limit maxStackDepth=" + limits.maxStackDepth());
    }
  }

  /** Reads sample {@code i} field by field; wire problems and the label limit throw here. */
  private void readGeneral(WireReader r, int i, int off, int start, int stop) {
    r.skipTo(start);
    r.enter("sample", i);
    while (r.more(stop)) {
      int t = r.tag();
      switch (t >>> 3) {
        case 1 -> locationIds(r, t);
        case 2 -> valueCount += r.repeatedVarints(t, values, valuesFrom + typeCount);
        case 3 -> label(r, t, off);
        default -> r.skip(t);
      }
    }
  }

  /**
   * One location_id field, packed or not: resolves what it can, remembers what it cannot. Ids past
   * one more than the depth limit allows are only counted: the sample fails on its length anyway.
   */
  private void locationIds(WireReader r, int tag) {
    ids.clear();
    int keep = Math.max(0, limits.maxStackDepth() + 1 - stacks.count());
    idsNotStored += r.repeatedVarints(tag, ids, keep) - ids.size();
    for (int j = 0; j < ids.size(); j++) {
      long id = ids.get(j);
      stacks.add(locById.get(id), id);
    }
  }

  private void label(WireReader r, int tag, int sampleOffset) {
    r.expect(tag, LEN);
    if (scratch.size() >= limits.maxLabelsPerSample()) {
      throw r.error(Reason.TOO_MANY_LABELS, sampleOffset,
          "label count exceeds limit maxLabelsPerSample=" + limits.maxLabelsPerSample());
    }
    if (labelsRead++ >= limits.maxLabels()) {
      throw r.error(Reason.TOO_MANY_LABELS, sampleOffset,
          "label count of all samples exceeds limit maxLabels=" + limits.maxLabels());
    }
    int off = r.tagOffset();
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
    scratch.add(off, key, str, num, unit);
  }

  /** Resolves the label strings just read, in label order, into the shared label table. */
  private void resolveLabels(int i) {
    LabelScratch l = scratch;
    for (int j = 0; j < l.size(); j++) {
      addLabel(labels, strings, i, l.offset.get(j), l.key.get(j), l.str.get(j), l.num.get(j),
          l.unit.get(j));
    }
    labelEnd[i] = labels.size();
  }

  /**
   * Adds one label of sample {@code i} (at offset {@code off}) to {@code labels}, following the
   * format's rule (see the class comment); a string index out of range throws.
   */
  static void addLabel(SampleLabels.Builder labels, StringTable strings, int i, int off, long keyIndex,
      long strIndex, long num, long unitIndex) {
    if (checkLabel(strings, i, off, keyIndex, strIndex, num, unitIndex)) {
      if (strIndex != 0) {
        labels.addString((int) keyIndex, (int) strIndex);
      } else {
        labels.addNumber((int) keyIndex, num, (int) unitIndex);
      }
    }
  }

  /**
   * Checks the string indexes one label of sample {@code i} (at offset {@code off}) uses, in the
   * order the format reads them (key, then the string or the unit); false for a label the format
   * ignores (neither a string nor a number or unit).
   */
  static boolean checkLabel(StringTable strings, int i, int off, long keyIndex, long strIndex,
      long num, long unitIndex) {
    str(strings, keyIndex, i, off, "label key");
    if (strIndex != 0) {
      str(strings, strIndex, i, off, "label str");
      return true;
    }
    if (unitIndex != 0) {
      str(strings, unitIndex, i, off, "label num_unit");
    }
    return num != 0 || unitIndex != 0;
  }

  /** {@code index} once checked to be within the string table. */
  private static int str(StringTable strings, long index, int sample, int off, String field) {
    return ProfileAssembler.checkString(strings, index, "sample", sample, off, field);
  }

  private static ProfileDecodeException fail(Reason reason, int sample, int off, String what) {
    return ProfileAssembler.fail(reason, "sample", sample, off, what);
  }
}
