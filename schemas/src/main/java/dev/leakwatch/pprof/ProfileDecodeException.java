package dev.leakwatch.pprof;

import java.util.Objects;

/**
 * A profile could not be decoded: the input is not a valid pprof profile or breaks a {@link
 * DecodeLimits} bound.
 *
 * <p>The message names what was wrong, where (record and byte offset) and, for limits, which limit
 * and its value, e.g. {@code "sample 12 (offset 3456): stack depth 10000 exceeds limit
 * maxStackDepth=1024"}.
 */
public class ProfileDecodeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why decoding failed. */
  public enum Reason {
    /** No bytes, or a gzip stream that inflates to nothing. */
    EMPTY_INPUT,
    /** The gzip stream ends before its trailer. */
    TRUNCATED_GZIP,
    /** The gzip header or deflate data is corrupt, or the CRC does not match. */
    BAD_GZIP,
    /** The input is larger than {@link DecodeLimits#maxCompressedBytes()}. */
    COMPRESSED_TOO_LARGE,
    /** Inflation passed {@link DecodeLimits#maxDecompressedBytes()}. */
    DECOMPRESSED_TOO_LARGE,
    /** A varint (tag, number or length) runs past the end of its message. */
    TRUNCATED_VARINT,
    /** A varint is longer than 10 bytes. */
    BAD_VARINT,
    /** A length-delimited field is longer than what remains of its message. */
    TRUNCATED_FIELD,
    /** A field has a wire type that is invalid or not the one its field number requires. */
    BAD_WIRE_TYPE,
    /** The string table is missing or its entry 0 is not the empty string. */
    BAD_STRING_TABLE,
    /** A string index points outside the string table. */
    STRING_INDEX_OUT_OF_RANGE,
    /** A sample names a location id that is not in the location table. */
    UNRESOLVED_LOCATION,
    /** A location line names a function id that is not in the function table. */
    UNRESOLVED_FUNCTION,
    /** A location names a mapping id that is not in the mapping table. */
    UNRESOLVED_MAPPING,
    /** Two table entries share an id. */
    DUPLICATE_ID,
    /** A mapping, location or function has id 0, which the format reserves for "absent". */
    ZERO_ID,
    /** More samples than {@link DecodeLimits#maxSamples()}. */
    TOO_MANY_SAMPLES,
    /** More locations than {@link DecodeLimits#maxLocations()}. */
    TOO_MANY_LOCATIONS,
    /** More functions than {@link DecodeLimits#maxFunctions()}. */
    TOO_MANY_FUNCTIONS,
    /** More mappings than {@link DecodeLimits#maxMappings()}. */
    TOO_MANY_MAPPINGS,
    /** More strings than {@link DecodeLimits#maxStrings()}. */
    TOO_MANY_STRINGS,
    /** A string longer than {@link DecodeLimits#maxStringBytes()}. */
    STRING_TOO_LONG,
    /**
     * A sample with more labels than {@link DecodeLimits#maxLabelsPerSample()}, or all samples
     * together with more than {@link DecodeLimits#maxLabels()}.
     */
    TOO_MANY_LABELS,
    /** More location lines, all locations together, than {@link DecodeLimits#maxLines()}. */
    TOO_MANY_LINES,
    /** A sample stack deeper than {@link DecodeLimits#maxStackDepth()} after inline expansion. */
    STACK_TOO_DEEP,
    /** A sample's number of values differs from the number of sample types. */
    VALUE_COUNT_MISMATCH,
    /** The profile declares no sample types. */
    NO_SAMPLE_TYPES,
    /** {@code default_sample_type} names a type that is not among the sample types. */
    BAD_DEFAULT_SAMPLE_TYPE
  }

  private final Reason reason;
  private final long offset;

  /**
   * @param reason why decoding failed; never null
   * @param offset byte offset in the decompressed protobuf where the problem was found, -1 when it
   *     is not about a position (e.g. gzip errors, sizes)
   * @param message what, where and which limit
   */
  public ProfileDecodeException(Reason reason, long offset, String message) {
    this(reason, offset, message, null);
  }

  public ProfileDecodeException(Reason reason, long offset, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.offset = offset;
  }

  /**
   * An error about one record, formatted as {@code "<record> <index> (offset <offset>): <what>"};
   * index and offset are left out when negative.
   */
  static ProfileDecodeException at(
      Reason reason, String record, long index, long offset, String what) {
    String where = index < 0 ? record : record + " " + index;
    String at = offset < 0 ? "" : " (offset " + offset + ")";
    return new ProfileDecodeException(reason, offset, where + at + ": " + what);
  }

  /** Why decoding failed. */
  public Reason reason() {
    return reason;
  }

  /** Byte offset in the decompressed protobuf where the problem was found, or -1 if n/a. */
  public long offset() {
    return offset;
  }
}
