package dev.leakwatch.pprof;

import java.util.Arrays;
import java.util.List;

/**
 * Second pass over samples that the first pass read into {@link GoSamples}, once the location and
 * string tables are resolved and the location ids are dense: checks every sample exactly as {@link
 * SampleParser} does (same checks, same order, same errors) and makes light {@link Sample}s over
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
  // every sample's values, flat: the samples' own array once made
  private long[] values;

  /** @param dense the location table by id (entry i has id i, null where none), not modified */
  GoSampleResolver(RawProfile raw, DecodeLimits limits, StringTable strings, int typeCount,
      Object[] dense) {
    this.raw = raw;
    this.go = raw.goSamples;
    this.limits = limits;
    this.strings = strings;
    this.typeCount = typeCount;
    this.byId = Arrays.copyOf(dense, dense.length, Location[].class);
  }

  /** Checks every sample and makes them; {@link #totals} afterwards sums their values per type. */
  List<Sample> samples() {
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
    int[] ids = Arrays.copyOf(go.ids.array(), go.ids.size());
    values = Arrays.copyOf(go.values.array(), go.values.size());
    SampleLabels labels = labels();
    Sample[] out = new Sample[n];
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
    for (int i = 0; i < n; i++) {
      int idTo = idEnd[i];
      int count = idTo - idFrom;
      long frames = -1;
      int missAt = -1;
      if (!(allIds || complete && inRange(ids, idFrom, idTo, framesById.length))
          || (long) count * maxFrames > maxDepth) {
        frames = 0;
        int least = 1;
        for (int k = idFrom; k < idTo; k++) {
          int id = ids[k];
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
            missAt, missAt < 0 ? 0 : ids[idFrom + missAt], frames, limits);
      }
      int labelTo = labelEnd[i];
      for (int j = allLabels ? labelTo : labelFrom; j < labelTo; j++) {
        SampleParser.checkLabel(strings, i, go.labelOffset[j], go.labelKey[j], go.labelStr[j],
            go.labelNum[j], go.labelUnit[j]);
      }
      // not seen by anyone before every sample is checked and this method returns
      out[i] = new Sample(values, valueFrom, typeCount, byId, ids, idFrom, count, (int) frames,
          labels, labelFrom, labelTo);
      idFrom = idTo;
      valueFrom = valueTo;
      labelFrom = labelTo;
    }
    return new ArrayView<>(out);
  }

  /** Sum of each sample type's values over all samples; after {@link #samples}. */
  long[] totals() {
    return SampleParser.totals(values, raw.sampleCount(), typeCount);
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
  private static boolean inRange(int[] ids, int from, int to, int end) {
    int min = Integer.MAX_VALUE;
    int max = 0;
    for (int k = from; k < to; k++) {
      min = Math.min(min, ids[k]);
      max = Math.max(max, ids[k]);
    }
    return from == to || (min >= 1 && max < end);
  }

  /** Stack position of the first id in {@code ids[from, to)} without a location. */
  private static int firstMiss(int[] ids, int from, int to, int[] framesById) {
    int k = from;
    while (k < to && ids[k] < framesById.length && framesById[ids[k]] != 0) {
      k++;
    }
    return k - from;
  }
}
