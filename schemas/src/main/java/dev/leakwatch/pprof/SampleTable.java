package dev.leakwatch.pprof;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.AbstractList;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * Every sample of one profile as flat arrays: values and stack entries read by sample number, with
 * no object per sample. For code that walks every sample of many profiles (a stream processor reads
 * each stack entry of every profile it is sent); {@link #sample} gives the {@link Sample} itself.
 *
 * <p>Samples are numbered {@code 0 .. size() - 1} as in {@link Profile#samples()}. Sample {@code
 * i} has one value per sample type of its profile ({@link #valueCount()}) and a stack of {@link
 * #locationCount(int) locationCount(i)} locations, leaf first.
 *
 * <p>Immutable and thread-safe. A decoder's table makes each {@code Sample} on first use (the
 * same object for every caller, on any thread), so reading the flat arrays costs no allocation; a
 * table of a built profile hands out the samples it was built from.
 */
public final class SampleTable {
  // samples[i] is read with acquire and set once by compare-and-exchange: a Sample made by one
  // thread is seen whole by another (its lazily filled fields start at their sentinels, not zero)
  private static final VarHandle SAMPLES = MethodHandles.arrayElementVarHandle(Sample[].class);

  private final int size;
  private final int width;
  // sample i's values at values[i * width, (i + 1) * width)
  private final long[] values;
  // sample i's stack entries k in [stackStart[i], stackStart[i + 1]): locs[id k of idx] (an
  // IdList's array), or locs[k] when idx is null
  private final Location[] locs;
  private final byte[] idx;
  private final int[] stackStart;
  // sample i's labels: [labelStart[i], labelStart[i + 1]) of labels; both null when samples are given
  private final SampleLabels labels;
  private final int[] labelStart;
  // decoded: filled on first use; built: the samples given
  private final Sample[] samples;
  // per sample type, the sum over all samples; summed on first use (volatile: its elements are
  // seen by every thread that sees the array)
  private volatile long[] totals;

  private SampleTable(int size, int width, long[] values, Location[] locs, byte[] idx,
      int[] stackStart, SampleLabels labels, int[] labelStart, Sample[] samples) {
    this.size = size;
    this.width = width;
    this.values = values;
    this.locs = locs;
    this.idx = idx;
    this.stackStart = stackStart;
    this.labels = labels;
    this.labelStart = labelStart;
    this.samples = samples;
  }

  /**
   * A decoder's table over arrays that nobody writes to any more, every entry already checked:
   * {@code values} holds exactly {@code size * width} values; stack entry {@code k} is {@code
   * byId[id k]}, never null; sample {@code i}'s entries and labels are delimited by {@code
   * stackStart[i, i + 1]} and {@code labelStart[i, i + 1]} (both of {@code size + 1} entries, the
   * first 0).
   *
   * @param ids location ids in {@link IdList}'s layout
   */
  static SampleTable decoded(int size, int width, long[] values, Location[] byId, byte[] ids,
      int[] stackStart, SampleLabels labels, int[] labelStart) {
    return new SampleTable(size, width, values, byId, ids, stackStart, labels, labelStart,
        new Sample[size]);
  }

  /**
   * The table of {@code samples}, each with exactly {@code width} values (as {@link Profile}
   * checks); copies their values and stack entries into flat arrays.
   */
  static SampleTable of(List<Sample> samples, int width) {
    int n = samples.size();
    Sample[] given = samples.toArray(new Sample[0]);
    long[] values = new long[n * width];
    int[] stackStart = new int[n + 1];
    for (int i = 0; i < n; i++) {
      stackStart[i + 1] = stackStart[i] + given[i].locationCount();
    }
    Location[] locs = new Location[stackStart[n]];
    for (int i = 0; i < n; i++) {
      Sample s = given[i];
      for (int t = 0; t < width; t++) {
        values[i * width + t] = s.value(t);
      }
      for (int k = 0; k < s.locationCount(); k++) {
        locs[stackStart[i] + k] = s.location(k);
      }
    }
    return new SampleTable(n, width, values, locs, null, stackStart, null, null, given);
  }

  /** Number of samples. */
  public int size() {
    return size;
  }

  /** Values per sample: the number of sample types of the profile. */
  public int valueCount() {
    return width;
  }

  /**
   * Sample {@code sample}'s value of sample type {@code type} (units as the profile's sample type
   * at that index).
   *
   * @throws IndexOutOfBoundsException unless {@code 0 <= sample < size()} and {@code 0 <= type <
   *     valueCount()}
   */
  public long value(int sample, int type) {
    return values[Objects.checkIndex(sample, size) * width + Objects.checkIndex(type, width)];
  }

  /** Number of locations in sample {@code sample}'s stack. */
  public int locationCount(int sample) {
    Objects.checkIndex(sample, size);
    return stackStart[sample + 1] - stackStart[sample];
  }

  /**
   * The {@code k}-th location of sample {@code sample}'s stack, leaf first.
   *
   * @throws IndexOutOfBoundsException unless {@code 0 <= k < locationCount(sample)}
   */
  public Location location(int sample, int k) {
    int from = stackStart[Objects.checkIndex(sample, size)];
    int at = from + Objects.checkIndex(k, stackStart[sample + 1] - from);
    return idx == null ? locs[at] : locs[IdList.get(idx, at)];
  }

  /**
   * Every stack entry's location id, sample after sample (sample {@code i}'s entries, leaf first,
   * start at the sum of the earlier samples' {@link #locationCount}), into {@code out} from index 0:
   * for readers that index per-location facts by id and would otherwise fetch each entry's {@link
   * Location} only to read its id. Each id is that of a location in the profile's table, and
   * distinct locations of a decoded profile have distinct ids.
   *
   * @return false, writing nothing, when the table keeps locations rather than ids (a profile built
   *     from {@link Sample}s, or decoded with ids past 65,535): read {@link #location} instead
   * @throws IndexOutOfBoundsException when {@code out} is shorter than the number of stack entries
   */
  public boolean copyLocationIds(int[] out) {
    if (idx == null) {
      return false;
    }
    int n = stackStart[size];
    Objects.checkFromIndexSize(0, n, out.length);
    for (int k = 0; k < n; k++) {
      out[k] = IdList.get(idx, k);
    }
    return true;
  }

  /**
   * Sum of sample type {@code type}'s values over all samples.
   *
   * @throws IndexOutOfBoundsException unless {@code 0 <= type < valueCount()}
   */
  public long total(int type) {
    long[] t = totals;
    if (t == null) {
      t = sums();
      totals = t;
    }
    return t[Objects.checkIndex(type, width)];
  }

  private long[] sums() {
    long[] sums = new long[width];
    int end = size * width;
    // type by type: a simple strided loop, where one over samples with an inner loop over the
    // types costs a loop exit per sample
    for (int j = 0; j < width; j++) {
      long sum = 0;
      for (int i = j; i < end; i += width) {
        sum += values[i];
      }
      sums[j] = sum;
    }
    return sums;
  }

  /** Sample {@code i} as an object (made on first use for decoded profiles). */
  public Sample sample(int i) {
    Sample s = (Sample) SAMPLES.getAcquire(samples, Objects.checkIndex(i, size));
    if (s == null) {
      int from = stackStart[i];
      Sample made = new Sample(values, i * width, width, locs, idx, from, stackStart[i + 1] - from,
          -1, labels, labelStart[i], labelStart[i + 1]);
      // the first one made is the one everybody gets
      Sample raced = (Sample) SAMPLES.compareAndExchange(samples, i, null, made);
      s = raced == null ? made : raced;
    }
    return s;
  }

  /** The samples as an unmodifiable list whose {@code get(i)} is {@link #sample sample(i)}. */
  List<Sample> asList() {
    return new Samples();
  }

  private final class Samples extends AbstractList<Sample> implements RandomAccess {
    @Override
    public Sample get(int index) {
      return sample(index);
    }

    @Override
    public int size() {
      return size;
    }
  }
}
