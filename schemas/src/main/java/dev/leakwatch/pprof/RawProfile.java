package dev.leakwatch.pprof;

import java.util.ArrayList;
import java.util.List;

/**
 * A profile as it is on the wire: ids and string indexes still unresolved, tables in flat primitive
 * lists, samples located and, when laid out as Go writes them, read into {@link GoSamples}. {@link
 * ProfileParser} fills it in one pass; {@link ProfileAssembler} resolves it. Offsets are each
 * record's start in the protobuf, kept for error messages.
 *
 * <p>Scratch, not a result: each thread reuses one ({@link #acquire}, {@link #release}) for
 * profiles up to {@link #REUSE_MAX_BYTES}, so a decode neither allocates nor zeroes these tables
 * again. Nothing of it may end up in a {@link Profile}: what a profile keeps is copied out.
 */
final class RawProfile {
  /**
   * Protobufs up to this size decode in the thread's reused scratch. The tables grow with the input
   * (every entry takes at least a byte of it), so this bounds what a thread keeps between decodes
   * to a few MB even for hostile input; larger profiles get scratch of their own.
   */
  static final int REUSE_MAX_BYTES = 256 * 1024;

  private static final ThreadLocal<RawProfile> SCRATCH = new ThreadLocal<>();

  // the string table: where each entry's bytes are
  final IntList stringStart;
  final IntList stringEnd;
  int stringTableOffset;

  // sample_type: (type, unit) string indexes, pairwise
  final LongList sampleTypes = new LongList(8);
  // scalar fields; reset() must clear each of them
  long periodTypeType;
  long periodTypeUnit;
  long dropFrames;
  long keepFrames;
  long timeNanos;
  long durationNanos;
  long period;
  final LongList comments = new LongList(4);
  long defaultSampleType;
  long docUrl;

  // functions
  final LongList fnId;
  final LongList fnName;
  final LongList fnSystemName;
  final LongList fnFile;
  final LongList fnStartLine;
  final IntList fnOffset;

  // mappings: one long[MAPPING_FIELDS] per mapping, indexed by field number - 1
  static final int MAPPING_FIELDS = 10;
  final List<long[]> mappings = new ArrayList<>();
  final IntList mappingOffset = new IntList(4);

  // locations and their lines
  final RawLocations locations;

  // samples: where each one starts (its tag); SampleParser reads them once the tables are resolved
  final IntList sampleOffset;
  // bytes of all samples' contents
  int sampleBytes;
  // the samples themselves, while they are all laid out as Go writes them
  final GoSamples goSamples;

  /** The protobuf being parsed: {@code buf[base, base + length)}; null once released. */
  byte[] buf;
  int base;
  int length;

  /** Empty scratch with tables sized for a protobuf of {@code length} bytes. */
  private RawProfile(int length) {
    this.goSamples = new GoSamples(length);
    // Sized from the input so that Go profiles rarely regrow a table: a sample takes 30-70 bytes,
    // a location, function or string rarely less than 128 bytes' share of the whole.
    int samples = Math.min(1 << 16, length / 48 + 16);
    sampleOffset = new IntList(samples);
    int records = Math.min(1 << 16, length / 128 + 16);
    stringStart = new IntList(records);
    stringEnd = new IntList(records);
    fnId = new LongList(records);
    fnName = new LongList(records);
    fnSystemName = new LongList(records);
    fnFile = new LongList(records);
    fnStartLine = new LongList(records);
    fnOffset = new IntList(records);
    locations = new RawLocations(records);
  }

  /**
   * Empty scratch for parsing {@code buf[base, base + length)}: this thread's reused one when the
   * protobuf is small enough and it is not in use, else a new one. Hand it back with {@link
   * #release} once the profile is assembled.
   */
  static RawProfile acquire(byte[] buf, int base, int length, DecodeLimits limits) {
    RawProfile p = null;
    if (length <= REUSE_MAX_BYTES) {
      p = SCRATCH.get();
      SCRATCH.remove();
    }
    if (p == null) {
      p = new RawProfile(length);
    }
    p.reset(buf, base, length, limits);
    return p;
  }

  /** Ends a decode: drops the references to its input and keeps the scratch for the next one. */
  void release() {
    buf = null;
    mappings.clear();
    if (length <= REUSE_MAX_BYTES) {
      SCRATCH.set(this);
    }
  }

  private void reset(byte[] buf, int base, int length, DecodeLimits limits) {
    this.buf = buf;
    this.base = base;
    this.length = length;
    stringTableOffset = -1;
    periodTypeType = 0;
    periodTypeUnit = 0;
    dropFrames = 0;
    keepFrames = 0;
    timeNanos = 0;
    durationNanos = 0;
    period = 0;
    defaultSampleType = 0;
    docUrl = 0;
    sampleBytes = 0;
    mappings.clear();
    for (LongList l : new LongList[] {sampleTypes, comments, fnId, fnName, fnSystemName, fnFile,
        fnStartLine}) {
      l.clear();
    }
    for (IntList l : new IntList[] {mappingOffset, fnOffset, sampleOffset, stringStart,
        stringEnd}) {
      l.clear();
    }
    locations.clear();
    goSamples.reset(limits);
  }

  int sampleCount() {
    return sampleOffset.size();
  }

  int locationCount() {
    return locations.count;
  }

  int functionCount() {
    return fnOffset.size();
  }
}
