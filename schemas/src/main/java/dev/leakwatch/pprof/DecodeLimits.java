package dev.leakwatch.pprof;

/**
 * Bounds that {@link ProfileDecoder} enforces on untrusted input; exceeding one fails the decode with
 * a {@link ProfileDecodeException} naming the limit.
 *
 * <p>{@link #defaults()}:
 *
 * <table>
 *   <caption>default limits</caption>
 *   <tr><th>limit</th><th>default</th><th>applies to</th></tr>
 *   <tr><td>maxCompressedBytes</td><td>16 MiB</td><td>input as given (gzip'd or not)</td></tr>
 *   <tr><td>maxDecompressedBytes</td><td>128 MiB</td><td>protobuf bytes after gunzip</td></tr>
 *   <tr><td>maxSamples</td><td>1,000,000</td><td>samples</td></tr>
 *   <tr><td>maxLocations</td><td>1,000,000</td><td>location table entries</td></tr>
 *   <tr><td>maxFunctions</td><td>1,000,000</td><td>function table entries</td></tr>
 *   <tr><td>maxStackDepth</td><td>1,024</td><td>frames of one sample after inline expansion</td></tr>
 *   <tr><td>maxStrings</td><td>4,000,000</td><td>string table entries; also comments, and sample types</td></tr>
 *   <tr><td>maxStringBytes</td><td>64 KiB</td><td>UTF-8 bytes of a single string</td></tr>
 *   <tr><td>maxMappings</td><td>100,000</td><td>mapping table entries</td></tr>
 *   <tr><td>maxLabelsPerSample</td><td>1,024</td><td>labels of one sample</td></tr>
 *   <tr><td>maxLines</td><td>4,000,000</td><td>lines of all locations together</td></tr>
 *   <tr><td>maxLabels</td><td>4,000,000</td><td>labels of all samples together</td></tr>
 * </table>
 *
 * @param maxCompressedBytes largest accepted input, in bytes
 * @param maxDecompressedBytes largest protobuf after decompression, in bytes; inflation stops as
 *     soon as it is passed, so a gzip bomb costs at most this much memory
 * @param maxSamples most samples in one profile
 * @param maxLocations most location table entries
 * @param maxFunctions most function table entries
 * @param maxStackDepth most frames in one sample's stack, counted after inline expansion
 * @param maxStrings most string table entries; comments and sample types, which name strings but
 *     have no limit of their own, are each held to it as well
 * @param maxStringBytes most UTF-8 bytes of a single string table entry
 * @param maxMappings most mapping table entries
 * @param maxLabelsPerSample most labels (string and numeric together) on one sample
 * @param maxLines most location lines (inlined frames included) of all locations together: the
 *     per-table and per-record limits alone admit 10^9 of them
 * @param maxLabels most labels of all samples together, likewise
 */
public record DecodeLimits(
    long maxCompressedBytes,
    long maxDecompressedBytes,
    int maxSamples,
    int maxLocations,
    int maxFunctions,
    int maxStackDepth,
    int maxStrings,
    int maxStringBytes,
    int maxMappings,
    int maxLabelsPerSample,
    int maxLines,
    int maxLabels) {

  private static final long MIB = 1024L * 1024L;
  private static final int DEFAULT_MAX_LINES = 4_000_000;
  private static final int DEFAULT_MAX_LABELS = 4_000_000;
  private static final DecodeLimits DEFAULTS =
      new DecodeLimits(
          16 * MIB, 128 * MIB, 1_000_000, 1_000_000, 1_000_000, 1024, 4_000_000, 64 * 1024,
          100_000, 1024, DEFAULT_MAX_LINES, DEFAULT_MAX_LABELS);

  public DecodeLimits {
    positive("maxCompressedBytes", maxCompressedBytes);
    positive("maxDecompressedBytes", maxDecompressedBytes);
    if (maxDecompressedBytes > Integer.MAX_VALUE - 8) {
      // The protobuf is parsed from one array, so it cannot exceed what a Java array holds.
      throw new IllegalArgumentException(
          "maxDecompressedBytes " + maxDecompressedBytes + " exceeds " + (Integer.MAX_VALUE - 8));
    }
    positive("maxSamples", maxSamples);
    positive("maxLocations", maxLocations);
    positive("maxFunctions", maxFunctions);
    positive("maxStackDepth", maxStackDepth);
    positive("maxStrings", maxStrings);
    positive("maxStringBytes", maxStringBytes);
    positive("maxMappings", maxMappings);
    positive("maxLabelsPerSample", maxLabelsPerSample);
    positive("maxLines", maxLines);
    positive("maxLabels", maxLabels);
  }

  /** Limits as before {@code maxLines} and {@code maxLabels} existed: those two as defaulted. */
  public DecodeLimits(long maxCompressedBytes, long maxDecompressedBytes, int maxSamples,
      int maxLocations, int maxFunctions, int maxStackDepth, int maxStrings, int maxStringBytes,
      int maxMappings, int maxLabelsPerSample) {
    this(maxCompressedBytes, maxDecompressedBytes, maxSamples, maxLocations, maxFunctions,
        maxStackDepth, maxStrings, maxStringBytes, maxMappings, maxLabelsPerSample,
        DEFAULT_MAX_LINES, DEFAULT_MAX_LABELS);
  }

  private static void positive(String name, long v) {
    if (v <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + v);
    }
  }

  /** The documented defaults (see the class comment). */
  public static DecodeLimits defaults() {
    return DEFAULTS;
  }

  public DecodeLimits withMaxCompressedBytes(long v) {
    return new DecodeLimits(v, maxDecompressedBytes, maxSamples, maxLocations, maxFunctions,
        maxStackDepth, maxStrings, maxStringBytes, maxMappings, maxLabelsPerSample,
        maxLines, maxLabels);
  }

  public DecodeLimits withMaxDecompressedBytes(long v) {
    return new DecodeLimits(maxCompressedBytes, v, maxSamples, maxLocations, maxFunctions,
        maxStackDepth, maxStrings, maxStringBytes, maxMappings, maxLabelsPerSample,
        maxLines, maxLabels);
  }

  public DecodeLimits withMaxSamples(int v) {
    return new DecodeLimits(maxCompressedBytes, maxDecompressedBytes, v, maxLocations,
        maxFunctions, maxStackDepth, maxStrings, maxStringBytes, maxMappings, maxLabelsPerSample,
        maxLines, maxLabels);
  }

  public DecodeLimits withMaxLocations(int v) {
    return new DecodeLimits(maxCompressedBytes, maxDecompressedBytes, maxSamples, v, maxFunctions,
        maxStackDepth, maxStrings, maxStringBytes, maxMappings, maxLabelsPerSample,
        maxLines, maxLabels);
  }

  public DecodeLimits withMaxFunctions(int v) {
    return new DecodeLimits(maxCompressedBytes, maxDecompressedBytes, maxSamples, maxLocations, v,
        maxStackDepth, maxStrings, maxStringBytes, maxMappings, maxLabelsPerSample,
        maxLines, maxLabels);
  }

  public DecodeLimits withMaxStackDepth(int v) {
    return new DecodeLimits(maxCompressedBytes, maxDecompressedBytes, maxSamples, maxLocations,
        maxFunctions, v, maxStrings, maxStringBytes, maxMappings, maxLabelsPerSample,
        maxLines, maxLabels);
  }

  public DecodeLimits withMaxStrings(int v) {
    return new DecodeLimits(maxCompressedBytes, maxDecompressedBytes, maxSamples, maxLocations,
        maxFunctions, maxStackDepth, v, maxStringBytes, maxMappings, maxLabelsPerSample,
        maxLines, maxLabels);
  }

  public DecodeLimits withMaxStringBytes(int v) {
    return new DecodeLimits(maxCompressedBytes, maxDecompressedBytes, maxSamples, maxLocations,
        maxFunctions, maxStackDepth, maxStrings, v, maxMappings, maxLabelsPerSample,
        maxLines, maxLabels);
  }

  public DecodeLimits withMaxMappings(int v) {
    return new DecodeLimits(maxCompressedBytes, maxDecompressedBytes, maxSamples, maxLocations,
        maxFunctions, maxStackDepth, maxStrings, maxStringBytes, v, maxLabelsPerSample,
        maxLines, maxLabels);
  }

  public DecodeLimits withMaxLabelsPerSample(int v) {
    return new DecodeLimits(maxCompressedBytes, maxDecompressedBytes, maxSamples, maxLocations,
        maxFunctions, maxStackDepth, maxStrings, maxStringBytes, maxMappings, v, maxLines,
        maxLabels);
  }

  public DecodeLimits withMaxLines(int v) {
    return new DecodeLimits(maxCompressedBytes, maxDecompressedBytes, maxSamples, maxLocations,
        maxFunctions, maxStackDepth, maxStrings, maxStringBytes, maxMappings, maxLabelsPerSample, v,
        maxLabels);
  }

  public DecodeLimits withMaxLabels(int v) {
    return new DecodeLimits(maxCompressedBytes, maxDecompressedBytes, maxSamples, maxLocations,
        maxFunctions, maxStackDepth, maxStrings, maxStringBytes, maxMappings, maxLabelsPerSample,
        maxLines, v);
  }
}
