package dev.leakwatch.reliability.fuzz;

import static dev.leakwatch.reliability.fuzz.FuzzTarget.require;

import dev.leakwatch.pprof.DecodeLimits;
import dev.leakwatch.pprof.Line;
import dev.leakwatch.pprof.Location;
import dev.leakwatch.pprof.Profile;
import dev.leakwatch.pprof.ProfileDecodeException;
import dev.leakwatch.pprof.ProfileDecodeException.Reason;
import dev.leakwatch.pprof.ProfileDecoder;
import dev.leakwatch.pprof.Sample;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * {@link ProfileDecoder#decode(byte[], DecodeLimits)} under a fixed set of limits. Contract (the
 * codec's Javadoc): a {@link Profile} within every limit, or a {@link ProfileDecodeException} whose
 * message names the record and, when the offset is known, the offset; a limit rejection names the
 * limit and its configured value.
 */
final class PprofDecoderTarget implements FuzzTarget {

  /** The limits the processor would run with, scaled to the campaign's small heap. */
  static final DecodeLimits SERVICE = DecodeLimits.defaults()
      .withMaxCompressedBytes(4L << 20).withMaxDecompressedBytes(8L << 20);
  /** Limits real Go profiles already exceed, so mutants reach every limit check. */
  static final DecodeLimits TIGHT = new DecodeLimits(64 << 10, 64 << 10, 64, 64, 64, 16, 128, 64, 2, 2);

  private final String name;
  private final DecodeLimits limits;

  PprofDecoderTarget(String name, DecodeLimits limits) {
    this.name = name;
    this.limits = limits;
  }

  /** The campaign's two targets by corpus directory name. */
  static PprofDecoderTarget byName(String name) {
    return switch (name) {
      case "pprof-service" -> new PprofDecoderTarget(name, SERVICE);
      case "pprof-tight" -> new PprofDecoderTarget(name, TIGHT);
      default -> throw new IllegalArgumentException("no pprof target " + name);
    };
  }

  @Override
  public String name() {
    return name;
  }

  /**
   * Six times the decompressed limit, plus the input twice and 1 MiB. Inflating to the limit
   * allocates about three times it (a buffer grown by doubling, then cut to size; the largest
   * allocation of a 40,000-input campaign, a gzip bomb, took 3.0 × {@code maxDecompressedBytes});
   * the rest is room for the decoded tables, which the limits bound by the decompressed size.
   */
  @Override
  public long allocationBudget(int inputBytes) {
    return budget(limits, inputBytes);
  }

  static long budget(DecodeLimits limits, int inputBytes) {
    return 6 * limits.maxDecompressedBytes() + 2L * inputBytes + (1 << 20);
  }

  @Override
  public String run(byte[] input) {
    Profile p;
    try {
      p = ProfileDecoder.decode(input, limits);
    } catch (ProfileDecodeException e) {
      return rejection(e);
    }
    checkBounds(p);
    return "ok";
  }

  private String rejection(ProfileDecodeException e) {
    String m = e.getMessage();
    require(m != null && !m.isBlank(), "rejection without a message: " + e.reason());
    if (e.offset() >= 0) {
      require(m.contains("offset " + e.offset()), "offset " + e.offset() + " not named in: " + m);
    }
    Map.Entry<String, Long> limit = limitOf(e.reason());
    if (limit != null) {
      require(m.contains(limit.getKey() + "=" + limit.getValue()),
          e.reason() + " does not name " + limit.getKey() + "=" + limit.getValue() + ": " + m);
    }
    return e.reason() + " " + FuzzTarget.shape(m);
  }

  /** The limit a reason reports, with the value configured here; null for format errors. */
  private Map.Entry<String, Long> limitOf(Reason reason) {
    return switch (reason) {
      case COMPRESSED_TOO_LARGE -> Map.entry("maxCompressedBytes", limits.maxCompressedBytes());
      case DECOMPRESSED_TOO_LARGE -> Map.entry("maxDecompressedBytes", limits.maxDecompressedBytes());
      case TOO_MANY_SAMPLES -> Map.entry("maxSamples", (long) limits.maxSamples());
      case TOO_MANY_LOCATIONS -> Map.entry("maxLocations", (long) limits.maxLocations());
      case TOO_MANY_FUNCTIONS -> Map.entry("maxFunctions", (long) limits.maxFunctions());
      case TOO_MANY_MAPPINGS -> Map.entry("maxMappings", (long) limits.maxMappings());
      case TOO_MANY_STRINGS -> Map.entry("maxStrings", (long) limits.maxStrings());
      case STRING_TOO_LONG -> Map.entry("maxStringBytes", (long) limits.maxStringBytes());
      case TOO_MANY_LABELS -> Map.entry("maxLabelsPerSample", (long) limits.maxLabelsPerSample());
      case STACK_TOO_DEEP -> Map.entry("maxStackDepth", (long) limits.maxStackDepth());
      default -> null;
    };
  }

  /** A decoded profile holds no more than the limits allow: what bounds the decoder's memory. */
  private void checkBounds(Profile p) {
    require(!p.sampleTypes().isEmpty(), "decoded a profile without sample types");
    require(p.samples().size() <= limits.maxSamples(), p.samples().size() + " samples");
    require(p.locations().size() <= limits.maxLocations(), p.locations().size() + " locations");
    require(p.functions().size() <= limits.maxFunctions(), p.functions().size() + " functions");
    require(p.mappings().size() <= limits.maxMappings(), p.mappings().size() + " mappings");
    for (Sample s : p.samples()) {
      require(s.depth() <= limits.maxStackDepth(), "stack of depth " + s.depth());
      require(s.valueCount() == p.sampleTypes().size(),
          s.valueCount() + " values for " + p.sampleTypes().size() + " sample types");
      int labels = s.labels().values().stream().mapToInt(l -> l.size()).sum()
          + s.numLabels().values().stream().mapToInt(l -> l.size()).sum();
      require(labels <= limits.maxLabelsPerSample(), labels + " labels on one sample");
    }
    // each input byte decodes to at most one char, whatever its UTF-8 validity
    p.functions().forEach(f -> require(f.name().length() <= limits.maxStringBytes(), "function name too long"));
    // Every line names a function of this profile. Lines are built when first read, so without
    // this walk a dangling reference passed here and broke only whoever read the stacks later.
    Set<Long> functionIds = new HashSet<>();
    p.functions().forEach(f -> functionIds.add(f.id()));
    for (Location l : p.locations()) {
      for (Line line : l.lines()) {
        require(line.function() != null && functionIds.contains(line.function().id()),
            "location " + l.id() + " has a line naming a function the profile lacks");
      }
    }
  }
}
