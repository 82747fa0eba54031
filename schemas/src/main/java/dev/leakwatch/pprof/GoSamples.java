package dev.leakwatch.pprof;

import java.util.Arrays;

/**
 * Every sample of a profile as {@link GoLayoutReader} read it in the first pass, where Go writes
 * them (before the location and string tables): flat, unresolved, unchecked. Sample {@code i} owns
 * location ids {@code [idEnd(i - 1), idEnd(i))}, values and labels likewise. Location ids are kept
 * as read, so once the location table is known a copy of the id array is the samples' stacks (an
 * index into the table by id).
 *
 * <p>It is all or nothing: as soon as one sample is not laid out as Go writes it, {@link
 * #abandon()} drops the lot and every sample is read again, field by field, once the tables are
 * resolved ({@link SampleParser}). Sizes are bounded by the sample bytes read. Part of the
 * per-thread scratch ({@link RawProfile}): {@link #reset} empties it for the next profile.
 */
final class GoSamples {
  /**
   * Largest sample record (content bytes) read here, the most a two-byte length gives: Go's
   * samples are far smaller, and a bigger one could pile up elements before {@link #endSample}.
   */
  static final int MAX_SAMPLE_BYTES = (1 << 14) - 1;

  final IdList ids;
  final LongList values;
  // labels, as on the wire, valid in [0, labelCount): string indexes (each fits an int, else the
  // sample is not taken), the number, and the offset of the label for error messages. Parallel
  // arrays with one count, so adding a label checks the capacity once.
  int[] labelKey;
  int[] labelStr;
  int[] labelUnit;
  long[] labelNum;
  int[] labelOffset;
  int labelCount;
  // per sample, valid in [0, sampleCount): where its ids, values and labels end
  int[] idEnd;
  int[] valueEnd;
  int[] labelEnd;
  int sampleCount;
  private int maxLabels;
  // per sample: the most location ids (the depth limit) and values (the sample types seen so far)
  private int maxIdsPerSample;
  private int maxValuesPerSample;
  private int maxLabelsInAll;
  private boolean usable;
  // smallest and largest location id of all samples: the second pass checks them all at once
  private int minId;
  private int maxId;
  // the most location ids of one sample, and the fewest and most values: with these in bounds the
  // second pass need not look at samples one by one
  private int maxStack;
  private int minValues;
  private int maxValues;

  /** Empty, sized for a protobuf of {@code length} bytes; {@link #reset} before use. */
  GoSamples(int length) {
    // Go's heap profiles spend a quarter of their bytes on one-byte location ids, and a sample (four
    // values, one label) takes 40-70 bytes: sized so that typical profiles need not grow.
    int samples = Math.min(1 << 16, length / 48 + 16);
    ids = new IdList(Math.min(1 << 20, length / 3 + 16));
    values = new LongList(4 * samples);
    labelKey = new int[samples];
    labelStr = new int[samples];
    labelUnit = new int[samples];
    labelNum = new long[samples];
    labelOffset = new int[samples];
    idEnd = new int[samples];
    valueEnd = new int[samples];
    labelEnd = new int[samples];
  }

  /**
   * Empties the arrays (keeping their capacity) for the next profile.
   *
   * @param limits the decode's limits: a sample with more labels than allowed on one is left to the
   *     general reader; one with more location ids than the depth limit, or that takes the labels
   *     of all samples past their limit, abandons the flat samples
   */
  void reset(DecodeLimits limits) {
    this.maxLabels = limits.maxLabelsPerSample();
    this.maxIdsPerSample = limits.maxStackDepth();
    this.maxLabelsInAll = limits.maxLabels();
    this.maxValuesPerSample = 0;
    usable = true;
    minId = Integer.MAX_VALUE;
    maxId = 0;
    maxStack = 0;
    minValues = Integer.MAX_VALUE;
    maxValues = 0;
    ids.clear();
    values.clear();
    labelCount = 0;
    sampleCount = 0;
  }

  /** Adds one location id (at most {@link IdList#MAX_ID}) to the current sample. */
  void addId(int id) {
    ids.add(id);
    minId = Math.min(minId, id);
    maxId = Math.max(maxId, id);
  }

  /**
   * Notes that ids from {@code min} to {@code max} were written straight into {@link #ids}: {@code
   * min} exact or lower, {@code max} exact or higher; a too high {@code max} costs a scan in {@link
   * #idsWithin}.
   */
  void idRange(int min, int max) {
    minId = Math.min(minId, min);
    maxId = Math.max(maxId, max);
  }

  /** True if every location id read lies in {@code [1, end)} (also when there are none). */
  boolean idsWithin(int end) {
    if (ids.size() == 0 || minId >= 1 && maxId < end) {
      return true;
    }
    if (minId < 1) {
      return false;
    }
    // the noted largest id may be a bound above the real one: find the real one
    byte[] a = ids.array();
    int max = 0;
    for (int k = 0; k < ids.size(); k++) {
      max = Math.max(max, IdList.get(a, k));
    }
    maxId = max;
    return max < end;
  }

  /** The most location ids of one sample (0 when there are no samples). */
  int maxStack() {
    return maxStack;
  }

  /** True if every sample has exactly {@code count} values (also when there are no samples). */
  boolean valuesEach(int count) {
    return sampleCount == 0 || minValues == count && maxValues == count;
  }

  /** True while every sample so far was read here. */
  boolean usable() {
    return usable;
  }

  /** Gives up on the flat arrays: some sample must be read by the general reader. */
  void abandon() {
    usable = false;
  }

  /** Labels allowed on one sample; a sample with more is left to the general reader. */
  int maxLabels() {
    return maxLabels;
  }

  /** True when the current sample already has as many labels as the limit allows. */
  boolean labelsFull() {
    int first = sampleCount == 0 ? 0 : labelEnd[sampleCount - 1];
    return labelCount - first >= maxLabels;
  }

  /** Adds a label to the current sample; {@code offset} is where its record starts. */
  void addLabel(int offset, int key, int str, long num, int unit) {
    int j = labelCount;
    if (j == labelKey.length) {
      int n = 2 * j;
      labelKey = Arrays.copyOf(labelKey, n);
      labelStr = Arrays.copyOf(labelStr, n);
      labelUnit = Arrays.copyOf(labelUnit, n);
      labelNum = Arrays.copyOf(labelNum, n);
      labelOffset = Arrays.copyOf(labelOffset, n);
    }
    labelOffset[j] = offset;
    labelKey[j] = key;
    labelStr[j] = str;
    labelNum[j] = num;
    labelUnit[j] = unit;
    labelCount = j + 1;
  }

  /** Drops the labels from the {@code size}-th on, added to the current sample by a reader giving up. */
  void dropLabelsFrom(int size) {
    labelCount = size;
  }

  /**
   * Notes that {@code count} sample types precede the samples still to come (Go writes them first);
   * a sample with more values than that abandons the flat samples.
   */
  void sampleTypes(int count) {
    maxValuesPerSample = count;
  }

  /**
   * Ends the current sample, or abandons the flat samples if it has more location ids than the
   * depth limit or more values than the sample types before it, or takes the labels of all samples
   * past their limit: such a sample fails (or the profile is not laid out as Go writes it), and
   * reading on would let a profile of many such samples turn each input byte into an eight-byte
   * element before the first one is reported. The general reader then reports it, storing no more
   * of it than a valid sample holds.
   */
  void endSample() {
    int i = sampleCount;
    if (i == idEnd.length) {
      int n = 2 * i;
      idEnd = Arrays.copyOf(idEnd, n);
      valueEnd = Arrays.copyOf(valueEnd, n);
      labelEnd = Arrays.copyOf(labelEnd, n);
    }
    int stack = ids.size() - (i == 0 ? 0 : idEnd[i - 1]);
    int valueCount = values.size() - (i == 0 ? 0 : valueEnd[i - 1]);
    if (stack > maxIdsPerSample || valueCount > maxValuesPerSample
        || labelCount > maxLabelsInAll) {
      abandon();
      return;
    }
    maxStack = Math.max(maxStack, stack);
    minValues = Math.min(minValues, valueCount);
    maxValues = Math.max(maxValues, valueCount);
    idEnd[i] = ids.size();
    valueEnd[i] = values.size();
    labelEnd[i] = labelCount;
    sampleCount = i + 1;
  }
}
