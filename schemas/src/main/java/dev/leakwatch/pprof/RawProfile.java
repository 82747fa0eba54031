package dev.leakwatch.pprof;

import java.util.ArrayList;
import java.util.List;

/**
 * A profile as it is on the wire: ids and string indexes still unresolved, tables in flat primitive
 * lists. {@link ProfileParser} fills it in one pass; {@link ProfileAssembler} resolves it. Offsets
 * are each record's start in the protobuf, kept for error messages.
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
  final LongList fnId = new LongList(256);
  final LongList fnName = new LongList(256);
  final LongList fnSystemName = new LongList(256);
  final LongList fnFile = new LongList(256);
  final LongList fnStartLine = new LongList(256);
  final IntList fnOffset = new IntList(256);

  // mappings: one long[MAPPING_FIELDS] per mapping, indexed by field number - 1
  static final int MAPPING_FIELDS = 10;
  final List<long[]> mappings = new ArrayList<>();
  final IntList mappingOffset = new IntList(4);

  // locations; lines are flat, each location owns [lineStart, lineStart + lineCount)
  final LongList locId = new LongList(256);
  final LongList locMapping = new LongList(256);
  final LongList locAddress = new LongList(256);
  final IntList locFolded = new IntList(256);
  final IntList locLineStart = new IntList(256);
  final IntList locLineCount = new IntList(256);
  final IntList locOffset = new IntList(256);
  final LongList lineFunction = new LongList(512);
  final LongList lineNumber = new LongList(512);
  final LongList lineColumn = new LongList(512);

  // samples; location ids, values and labels are flat, each sample owns a range of each
  final IntList sampleLocStart = new IntList(256);
  final IntList sampleLocCount = new IntList(256);
  final LongList sampleLocIds = new LongList(2048);
  final IntList sampleValStart = new IntList(256);
  final IntList sampleValCount = new IntList(256);
  final LongList sampleValues = new LongList(1024);
  final IntList sampleLabelStart = new IntList(256);
  final IntList sampleLabelCount = new IntList(256);
  final IntList sampleOffset = new IntList(256);
  final LongList labelKey = new LongList(64);
  final LongList labelStr = new LongList(64);
  final LongList labelNum = new LongList(64);
  final LongList labelUnit = new LongList(64);
  final IntList labelOffset = new IntList(64);

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
