package dev.leakwatch.pprof;

import java.util.Objects;

/**
 * A memory mapping of the profiled process (usually its binary and shared libraries).
 *
 * <p>Addresses are unsigned 64-bit values carried in {@code long}s; use {@link Long#toUnsignedString}
 * to print them.
 *
 * @param id the non-zero id the profile gave it
 * @param memoryStart start address of the mapping
 * @param memoryLimit end address (exclusive)
 * @param fileOffset offset in the mapped file
 * @param file path of the mapped file; never null, empty when unknown
 * @param buildId build id of the file; never null, empty when unknown
 * @param hasFunctions the profile resolved function names in this mapping
 * @param hasFilenames the profile resolved file names
 * @param hasLineNumbers the profile resolved line numbers
 * @param hasInlineFrames the profile expanded inlined calls
 */
public record Mapping(
    long id,
    long memoryStart,
    long memoryLimit,
    long fileOffset,
    String file,
    String buildId,
    boolean hasFunctions,
    boolean hasFilenames,
    boolean hasLineNumbers,
    boolean hasInlineFrames) {
  public Mapping {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(buildId, "buildId");
  }
}
