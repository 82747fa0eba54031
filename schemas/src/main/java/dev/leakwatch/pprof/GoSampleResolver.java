package dev.leakwatch.pprof;

import java.util.Arrays;
import java.util.List;

/**
 * Second pass over samples that the first pass read into {@link GoSamples}, once the location and
 * string tables are resolved and the location ids are dense: checks every sample exactly as {@link
 * SampleParser} does (same checks, same order, same errors) and makes light {@link Sample}s over
 * the flat arrays. Nothing is copied: the values and the location ids read in the first pass become
 * the samples' values and stacks (ids index the location table by id).
 */
final class GoSampleResolver {
  private final RawProfile raw;
  private final GoSamples go;
  private final DecodeLimits limits;
  private final String[] strings;
  private final int typeCount;
  private final Location[] byId;

  /** @param dense the location table by id (entry i has id i, null where none), not modified */
  GoSampleResolver(RawProfile raw, DecodeLimits limits, String[] strings, int typeCount,
      Object[] dense) {
    this.raw = raw;
    this.go = raw.goSamples;
    this.limits = limits;
    this.strings = strings;
    this.typeCount = typeCount;
    this.byId = Arrays.copyOf(dense, dense.length, Location[].class);
  }

  List<Sample> samples() {
    int n = raw.sampleCount();
    // frames per location id, 0 for an id without a location: the hot loop below reads one int per
    // stack entry and needs no null check
    int[] framesById = new int[byId.length];
    for (int id = 0; id < byId.length; id++) {
      framesById[id] = byId[id] == null ? 0 : byId[id].frameCount();
    }
    int[] ids = go.ids.array();
    int[] depth = new int[n];
    int idFrom = 0;
    int valueFrom = 0;
    int labelFrom = 0;
    for (int i = 0; i < n; i++) {
      int idTo = go.idEnd.get(i);
      long frames = 0;
      int least = 1;
      for (int k = idFrom; k < idTo; k++) {
        int id = ids[k];
        int f = id < framesById.length ? framesById[id] : 0;
        least = Math.min(least, f);
        frames += f;
      }
      int missAt = least == 0 ? firstMiss(ids, idFrom, idTo, framesById) : -1;
      int off = raw.sampleOffset.get(i);
      int valueTo = go.valueEnd.get(i);
      SampleParser.check(i, off, idTo - idFrom, valueTo - valueFrom, typeCount, missAt,
          missAt < 0 ? 0 : ids[idFrom + missAt], frames, limits);
      depth[i] = (int) frames;
      int labelTo = go.labelEnd.get(i);
      for (int j = labelFrom; j < labelTo; j++) {
        SampleParser.checkLabel(strings, i, go.labelOffset.get(j), go.labelKey.get(j),
            go.labelStr.get(j), go.labelNum.get(j), go.labelUnit.get(j));
      }
      idFrom = idTo;
      valueFrom = valueTo;
      labelFrom = labelTo;
    }
    // the labels as read are the labels: checked, they need no copy
    SampleLabels labels = SampleLabels.over(strings, go.labelKey.array(), go.labelStr.array(),
        go.labelNum.array(), go.labelUnit.array());
    return build(n, ids, depth, labels);
  }

  /** Stack position of the first id in {@code ids[from, to)} without a location. */
  private static int firstMiss(int[] ids, int from, int to, int[] framesById) {
    int k = from;
    while (k < to && ids[k] < framesById.length && framesById[ids[k]] != 0) {
      k++;
    }
    return k - from;
  }

  /** The samples, once all are checked: their arrays are final from here on. */
  private List<Sample> build(int n, int[] ids, int[] depth, SampleLabels labels) {
    long[] values = go.values.array();
    Sample[] out = new Sample[n];
    int idFrom = 0;
    int labelFrom = 0;
    for (int i = 0; i < n; i++) {
      int idTo = go.idEnd.get(i);
      out[i] = new Sample(values, i * typeCount, typeCount, byId, ids, idFrom, idTo - idFrom,
          depth[i], labels, labelFrom, go.labelEnd.get(i));
      idFrom = idTo;
      labelFrom = go.labelEnd.get(i);
    }
    return new ArrayView<>(out);
  }
}
