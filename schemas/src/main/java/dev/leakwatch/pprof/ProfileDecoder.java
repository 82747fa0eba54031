package dev.leakwatch.pprof;

import dev.leakwatch.pprof.ProfileDecodeException.Reason;

/**
 * Decodes pprof profiles (gzip'd or plain {@code profile.proto}, as served by Go's {@code
 * /debug/pprof/*} endpoints) into {@link Profile}s, enforcing {@link DecodeLimits} on untrusted
 * input.
 *
 * <p>Stateless and thread-safe. Every failure is a {@link ProfileDecodeException} with a {@link
 * ProfileDecodeException.Reason}, the byte offset in the decompressed protobuf where applicable,
 * and a message naming the record and limit; decoding never hangs and never allocates much beyond
 * {@link DecodeLimits#maxDecompressedBytes()} plus the resolved tables.
 *
 * <p>A profile with zero samples is valid (pprof accepts it; a Go heap profile of an idle process
 * can be empty) and decodes to a {@code Profile} with no samples. A profile without sample types is
 * rejected ({@code NO_SAMPLE_TYPES}): nothing could be read from it. Repeated scalar fields are
 * accepted packed (as Go writes them) and unpacked. Unknown fields are skipped.
 */
public final class ProfileDecoder {
  private ProfileDecoder() {}

  /** Decodes with {@link DecodeLimits#defaults()}. */
  public static Profile decode(byte[] data) {
    return decode(data, DecodeLimits.defaults());
  }

  /**
   * Decodes a gzip'd (recognised by its magic bytes) or plain protobuf profile.
   *
   * @param data the whole profile; not modified, not retained
   * @param limits bounds on sizes and counts
   * @throws ProfileDecodeException if the input is not a valid profile or breaks a limit
   */
  public static Profile decode(byte[] data, DecodeLimits limits) {
    if (data == null || data.length == 0) {
      throw new ProfileDecodeException(Reason.EMPTY_INPUT, -1, "input is empty (0 bytes)");
    }
    if (data.length > limits.maxCompressedBytes()) {
      throw new ProfileDecodeException(Reason.COMPRESSED_TOO_LARGE, -1,
          "input of " + data.length + " bytes exceeds limit maxCompressedBytes="
              + limits.maxCompressedBytes());
    }
    byte[] proto = data;
    int length = data.length;
    if (BoundedGunzip.isGzip(data)) {
      BoundedGunzip.Inflated inflated = BoundedGunzip.inflate(data, limits.maxDecompressedBytes());
      proto = inflated.bytes();
      length = inflated.length();
      if (length == 0) {
        throw new ProfileDecodeException(Reason.EMPTY_INPUT, -1,
            "gzip stream of " + data.length + " bytes inflates to 0 bytes");
      }
    } else if (length > limits.maxDecompressedBytes()) {
      throw new ProfileDecodeException(Reason.DECOMPRESSED_TOO_LARGE, -1,
          "uncompressed input of " + length + " bytes exceeds limit maxDecompressedBytes="
              + limits.maxDecompressedBytes());
    }
    RawProfile raw = RawProfile.acquire(proto, 0, length, limits);
    try {
      ProfileParser.parse(raw, limits);
      return ProfileAssembler.assemble(raw, limits);
    } finally {
      raw.release();
    }
  }
}
