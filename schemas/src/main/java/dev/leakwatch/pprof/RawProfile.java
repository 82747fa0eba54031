package dev.leakwatch.pprof;

import java.util.ArrayList;
import java.util.List;

/**
 * A profile as it is on the wire: ids and string indexes still unresolved, tables in flat primitive
 * lists, samples only located. {@link ProfileParser} fills it in one pass; {@link
 * ProfileAssembler} resolves it. Offsets are each record's start in the protobuf, kept for error
 * messages.
 */
final class RawProfile {
  final List<String> strings = new ArrayList<>();
  int stringTableOffset = -1;

  // sample_type: (type, unit) string indexes, pairwise
  final LongList sampleTypes = new LongList(8);
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
  final LongList fnId = new LongList(64);
  final LongList fnName = new LongList(64);
  final LongList fnSystemName = new LongList(64);
  final LongList fnFile = new LongList(64);
  final LongList fnStartLine = new LongList(64);
  final IntList fnOffset = new IntList(64);

  // mappings: one long[MAPPING_FIELDS] per mapping, indexed by field number - 1
  static final int MAPPING_FIELDS = 10;
  final List<long[]> mappings = new ArrayList<>();
  final IntList mappingOffset = new IntList(4);

  // locations; lines are flat, each location owns [lineStart, lineStart + lineCount)
  final LongList locId = new LongList(64);
  final LongList locMapping = new LongList(64);
  final LongList locAddress = new LongList(64);
  final IntList locFolded = new IntList(64);
  final IntList locLineStart = new IntList(64);
  final IntList locLineCount = new IntList(64);
  final IntList locOffset = new IntList(64);
  final LongList lineFunction = new LongList(128);
  final LongList lineNumber = new LongList(128);
  final LongList lineColumn = new LongList(128);

  // samples: where each one's content lies; SampleParser reads them once the tables are resolved
  final IntList sampleOffset;
  final IntList sampleStart;
  final IntList sampleEnd;
  // bytes of all samples' contents
  int sampleBytes;

  /** The protobuf being parsed: {@code buf[base, base + length)}. */
  final byte[] buf;
  final int base;
  final int length;

  RawProfile(byte[] buf, int base, int length) {
    this.buf = buf;
    this.base = base;
    this.length = length;
    // About one sample per 70 bytes in Go heap profiles; sized so they rarely regrow.
    int samples = Math.min(1 << 16, length / 64 + 16);
    sampleOffset = new IntList(samples);
    sampleStart = new IntList(samples);
    sampleEnd = new IntList(samples);
  }

  /** Appends a location whose lines are {@code [lineStart, lineFunction.size())}. */
  void addLocation(long id, long mapping, long address, boolean folded, int lineStart) {
    locId.add(id);
    locMapping.add(mapping);
    locAddress.add(address);
    locFolded.add(folded ? 1 : 0);
    locLineStart.add(lineStart);
    locLineCount.add(lineFunction.size() - lineStart);
  }

  void addLine(long function, long line, long column) {
    lineFunction.add(function);
    lineNumber.add(line);
    lineColumn.add(column);
  }

  int sampleCount() {
    return sampleOffset.size();
  }

  int locationCount() {
    return locOffset.size();
  }

  int functionCount() {
    return fnOffset.size();
  }
}
