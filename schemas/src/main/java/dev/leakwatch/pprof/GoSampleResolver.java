package dev.leakwatch.pprof;

import java.util.Arrays;

/**
 * Second pass over samples that the first pass read into {@link GoSamples}, once the location and
 * string tables are resolved and the location ids are dense: checks every sample exactly as {@link
 * SampleParser} does (same checks, same order, same errors) and makes the {@link SampleTable} over
 * exact copies of the flat arrays: the values and the location ids read in the first pass become the
 * samples' values and stacks (ids index the location table by id).
 */
final class GoSampleResolver {
  private final RawProfile raw;
  private final GoSamples go;
  private final DecodeLimits limits;
  private final StringTable strings;
  private final int typeCount;
  private final Location[] byId;

  /** @param byId the location table by id (entry i has id i, null where none), not modified */
  GoSampleResolver(RawProfile raw, DecodeLimits limits, StringTable strings, int typeCount,
      Location[] byId) {
    this.raw = raw;
    this.go = raw.goSamples;
    this.limits = limits;
    this.strings = strings;
    this.typeCount = typeCount;
    this.byId = byId;
  }

  /** Checks every sample and makes their table. */
  SampleTable samples() {
    int n = raw.sampleCount();
    // frames per location id, 0 for an id without a location: the hot loop below reads one int per
    // stack entry and needs no null check
    int[] framesById = new int[byId.length];
    // in the same pass: the most frames of one location, and whether every id from 1 up has a
    // location (each has at least one frame)
    int maxFrames = 1;
    boolean complete = true;
    for (int id = 1; id < byId.length; id++) {
      int f = byId[id] == null ? 0 : byId[id].frameCount();
      framesById[id] = f;
      maxFrames = Math.max(maxFrames, f);
      complete &= f != 0;
    }
    // the first pass's arrays are per-thread scratch: the samples get exact copies
    byte[] ids = go.ids.copy();
    long[] values = Arrays.copyOf(go.values.array(), go.values.size());
    SampleLabels labels = labels();
    // the per-sample ends, final here: locals, loaded once
    int[] idEnd = go.idEnd;
    int[] valueEnd = go.valueEnd;
    int[] labelEnd = go.labelEnd;
    int idFrom = 0;
    int valueFrom = 0;
    int labelFrom = 0;
    // Go's location table holds every id from 1 up: then a stack whose ids lie in [1, max id]
    // resolves entirely, and if no location could push it past the depth limit its frames are
    // counted only when asked (Sample.depth); else each id is looked up here. The id range the
    // first pass noted, and one loop over the label string indexes, usually clear every sample.
    boolean allIds = complete && go.idsWithin(framesById.length);
    boolean allLabels = labelsInRange();
    int maxDepth = limits.maxStackDepth();
    // the usual case: the bounds of all samples at once clear each of them
    boolean allClear = allIds && allLabels && go.valuesEach(typeCount)
        && (long) go.maxStack() * maxFrames <= maxDepth;
    for (int i = allClear ? n : 0; i < n; i++) {
      int idTo = idEnd[i];
      int count = idTo - idFrom;
      long frames = -1;
      int missAt = -1;
      if (!(allIds || complete && inRange(ids, idFrom, idTo, framesById.length))
          || (long) count * maxFrames > maxDepth) {
        frames = 0;
        int least = 1;
        for (int k = idFrom; k < idTo; k++) {
          int id = IdList.get(ids, k);
          int f = id < framesById.length ? framesById[id] : 0;
          least = Math.min(least, f);
          frames += f;
        }
        missAt = least == 0 ? firstMiss(ids, idFrom, idTo, framesById) : -1;
      }
      int valueTo = valueEnd[i];
      if (count > maxDepth || valueTo - valueFrom != typeCount || missAt >= 0
          || frames > maxDepth) {
        // throws, naming the first problem in SampleParser's order
        SampleParser.check(i, raw.sampleOffset.get(i), count, valueTo - valueFrom, typeCount,
            missAt, missAt < 0 ? 0 : IdList.get(ids, idFrom + missAt), frames, limits);
      }
      int labelTo = labelEnd[i];
      for (int j = allLabels ? labelTo : labelFrom; j < labelTo; j++) {
        SampleParser.checkLabel(strings, i, go.labelOffset[j], go.labelKey[j], go.labelStr[j],
            go.labelNum[j], go.labelUnit[j]);
      }
      idFrom = idTo;
      valueFrom = valueTo;
      labelFrom = labelTo;
    }
    // the ends are scratch too; the table's starts are copies with a leading 0
    return SampleTable.decoded(n, typeCount, values, byId, ids, starts(idEnd, n), labels,
        starts(labelEnd, n));
  }

  /** {@code 0, ends[0], ..., ends[n - 1]}. */
  private static int[] starts(int[] ends, int n) {
    int[] out = new int[n + 1];
    System.arraycopy(ends, 0, out, 1, n);
    return out;
  }

  /** The labels as read (checked with the samples, they need no rework), copied out of scratch. */
  private SampleLabels labels() {
    int n = go.labelCount;
    return SampleLabels.over(strings, Arrays.copyOf(go.labelKey, n), Arrays.copyOf(go.labelStr, n),
        Arrays.copyOf(go.labelNum, n), Arrays.copyOf(go.labelUnit, n));
  }

  /** True if every label's string indexes (all non-negative) are within the string table. */
  private boolean labelsInRange() {
    int max = 0;
    int[] keys = go.labelKey;
    int[] strs = go.labelStr;
    int[] units = go.labelUnit;
    for (int j = 0; j < go.labelCount; j++) {
      max = Math.max(max, Math.max(keys[j], Math.max(strs[j], units[j])));
    }
    return max < strings.size();
  }

  /** True if every id in {@code ids[from, to)} is in {@code [1, end)}. */
  private static boolean inRange(byte[] ids, int from, int to, int end) {
    int min = Integer.MAX_VALUE;
    int max = 0;
    for (int k = from; k < to; k++) {
      int id = IdList.get(ids, k);
      min = Math.min(min, id);
      max = Math.max(max, id);
    }
    return from == to || (min >= 1 && max < end);
  }

  /** Stack position of the first id in {@code ids[from, to)} without a location. */
  private static int firstMiss(byte[] ids, int from, int to, int[] framesById) {
    int k = from;
    while (k < to && IdList.get(ids, k) < framesById.length
        && framesById[IdList.get(ids, k)] != 0) {
      k++;
    }
    return k - from;
  }
}
