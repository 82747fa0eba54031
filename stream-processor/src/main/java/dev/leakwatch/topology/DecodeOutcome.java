package dev.leakwatch.topology;

/** Result of decoding one input record: a usable profile or a dead letter. */
public sealed interface DecodeOutcome {

  /** The record decoded and validated. */
  record Decoded(DecodedProfile profile) implements DecodeOutcome {}

  /**
   * The record was rejected; {@code key} and {@code value} are the input bytes, unchanged (either
   * may be null).
   */
  record Rejected(DeadLetter deadLetter, SourcePosition source, byte[] key, byte[] value)
      implements DecodeOutcome {}
}
