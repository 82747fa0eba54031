package dev.leakwatch.pprof;

import static dev.leakwatch.pprof.WireReader.LEN;

import dev.leakwatch.pprof.ProfileDecodeException.Reason;

/**
 * One pass over a profile.proto message that records every field in a {@link RawProfile} without
 * resolving anything (the format puts the string table after the records that use it). Count and
 * size limits are enforced as soon as they are passed, so hostile input stops early.
 */
final class ProfileParser {
  private final WireReader r;
  private final DecodeLimits limits;
  private final RawProfile p;
  private final GoLayoutReader fast;
  private final GoSampleRun run;
  private final TableRuns runs;

  private ProfileParser(RawProfile p, DecodeLimits limits) {
    this.r = new WireReader(p.buf, p.base, p.length);
    this.limits = limits;
    this.p = p;
    this.fast = new GoLayoutReader(p.buf, p.base);
    this.run = new GoSampleRun(p.buf, p.base, p.length, fast);
    this.runs = new TableRuns(p, limits, fast);
  }

  /**
   * Parses the protobuf {@code p} was acquired for into {@code p}; offsets in errors are relative to
   * its start.
   */
  static void parse(RawProfile p, DecodeLimits limits) {
    new ProfileParser(p, limits).profile();
  }

  private void profile() {
    for (int tag = r.tag(); tag != 0; tag = r.tag()) {
      switch (tag >>> 3) {
        case 1 -> sampleType(tag);
        case 2 -> sample(tag);
        case 3 -> mapping(tag);
        // the first record of the tables, then the run of those that follow (TableRuns)
        case 4 -> {
          location(tag);
          r.skipTo(runs.records(r.offset()));
        }
        case 5 -> {
          function(tag);
          r.skipTo(runs.records(r.offset()));
        }
        case 6 -> {
          string(tag);
          r.skipTo(runs.records(r.offset()));
        }
        case 7 -> p.dropFrames = r.scalar(tag);
        case 8 -> p.keepFrames = r.scalar(tag);
        case 9 -> p.timeNanos = r.scalar(tag);
        case 10 -> p.durationNanos = r.scalar(tag);
        case 11 -> periodType(tag);
        case 12 -> p.period = r.scalar(tag);
        // no count limit of their own: each names a string, so at most as many as strings
        case 13 -> r.repeatedVarints(tag, p.comments, limits.maxStrings(), Reason.TOO_MANY_STRINGS,
            "comment count exceeds limit maxStrings=" + limits.maxStrings());
        case 14 -> p.defaultSampleType = r.scalar(tag);
        case 15 -> p.docUrl = r.scalar(tag);
        default -> r.skip(tag);
      }
      r.enter("profile", -1);
    }
  }

  private void sampleType(int tag) {
    r.expect(tag, LEN);
    int n = p.sampleTypes.size() / 2;
    r.enter("sample_type", n);
    if (n >= limits.maxStrings()) {
      // no count limit of their own: each names strings, so at most as many as strings
      throw r.error(Reason.TOO_MANY_STRINGS, r.tagOffset(),
          "sample type count exceeds limit maxStrings=" + limits.maxStrings());
    }
    long[] tu = valueType();
    p.sampleTypes.add(tu[0]);
    p.sampleTypes.add(tu[1]);
    p.goSamples.sampleTypes(n + 1);
  }

  private void periodType(int tag) {
    r.expect(tag, LEN);
    r.enter("period_type", -1);
    long[] tu = valueType();
    p.periodTypeType = tu[0];
    p.periodTypeUnit = tu[1];
  }

  private long[] valueType() {
    long[] tu = new long[2];
    int end = r.beginLength();
    while (r.more(end)) {
      int tag = r.tag();
      switch (tag >>> 3) {
        case 1 -> tu[0] = r.scalar(tag);
        case 2 -> tu[1] = r.scalar(tag);
        default -> r.skip(tag);
      }
    }
    return tu;
  }

  private void string(int tag) {
    r.expect(tag, LEN);
    int n = p.stringStart.size();
    r.enter("string", n);
    if (n == 0) {
      p.stringTableOffset = r.tagOffset();
    }
    if (n >= limits.maxStrings()) {
      throw r.error(Reason.TOO_MANY_STRINGS, r.tagOffset(),
          "string table exceeds limit maxStrings=" + limits.maxStrings());
    }
    // kept as bytes: a string is decoded when it is first asked for (StringTable)
    int end = r.beginString(limits.maxStringBytes());
    p.stringStart.add(r.offset());
    p.stringEnd.add(end);
    r.skipTo(end);
  }

  /**
   * Notes where the sample is and, while every sample is laid out as Go writes them, reads it (and
   * the samples that follow it, {@link GoSampleRun}) into {@link GoSamples}, unresolved: samples
   * come before the tables they refer to. Otherwise {@link SampleParser} reads them all in a second
   * pass, once the tables are resolved.
   */
  private void sample(int tag) {
    if (p.goSamples.usable()) {
      // the run of samples this record starts, while they are laid out as Go writes them
      int stop = run.read(r.tagOffset(), p, limits.maxSamples());
      if (stop > r.tagOffset()) {
        r.skipTo(stop);
        return;
      }
    }
    r.expect(tag, LEN);
    int n = p.sampleCount();
    r.enter("sample", n);
    if (n >= limits.maxSamples()) {
      throw r.error(Reason.TOO_MANY_SAMPLES, r.tagOffset(),
          "sample count exceeds limit maxSamples=" + limits.maxSamples());
    }
    p.sampleOffset.add(r.tagOffset());
    int end = r.beginLength();
    p.sampleBytes += end - r.offset();
    if (p.goSamples.usable() && (end - r.offset() > GoSamples.MAX_SAMPLE_BYTES
        || !fast.sample(r.offset(), end, p.goSamples))) {
      p.goSamples.abandon();
    }
    r.skipTo(end);
  }

  private void mapping(int tag) {
    r.expect(tag, LEN);
    int n = p.mappings.size();
    r.enter("mapping", n);
    if (n >= limits.maxMappings()) {
      throw r.error(Reason.TOO_MANY_MAPPINGS, r.tagOffset(),
          "mapping count exceeds limit maxMappings=" + limits.maxMappings());
    }
    p.mappingOffset.add(r.tagOffset());
    long[] m = new long[RawProfile.MAPPING_FIELDS];
    int end = r.beginLength();
    while (r.more(end)) {
      int t = r.tag();
      int f = t >>> 3;
      if (f >= 1 && f <= RawProfile.MAPPING_FIELDS) {
        m[f - 1] = r.scalar(t);
      } else {
        r.skip(t);
      }
    }
    p.mappings.add(m);
  }

  private void location(int tag) {
    r.expect(tag, LEN);
    int n = p.locationCount();
    r.enter("location", n);
    if (n >= limits.maxLocations()) {
      throw r.error(Reason.TOO_MANY_LOCATIONS, r.tagOffset(),
          "location count exceeds limit maxLocations=" + limits.maxLocations());
    }
    int at = r.tagOffset();
    int end = r.beginLength();
    RawLocations locations = p.locations;
    if (fast.location(at, r.offset(), end, locations, locations.linesAllowed(limits))) {
      r.skipTo(end);
      return;
    }
    long id = 0;
    long mapping = 0;
    long address = 0;
    long folded = 0;
    int lineStart = locations.lines;
    while (r.more(end)) {
      int t = r.tag();
      switch (t >>> 3) {
        case 1 -> id = r.scalar(t);
        case 2 -> mapping = r.scalar(t);
        case 3 -> address = r.scalar(t);
        case 4 -> line(t, locations.lines - lineStart);
        case 5 -> folded = r.scalar(t);
        default -> r.skip(t);
      }
    }
    locations.add(at, id, mapping, address, folded != 0, lineStart);
  }

  private void line(int tag, int existing) {
    r.expect(tag, LEN);
    if (existing >= limits.maxStackDepth()) {
      throw r.error(Reason.STACK_TOO_DEEP, r.tagOffset(),
          "more than " + limits.maxStackDepth() + " inlined lines exceed limit maxStackDepth="
              + limits.maxStackDepth());
    }
    if (p.locations.lines >= limits.maxLines()) {
      throw r.error(Reason.TOO_MANY_LINES, r.tagOffset(),
          "line count exceeds limit maxLines=" + limits.maxLines());
    }
    long function = 0;
    long line = 0;
    long column = 0;
    int end = r.beginLength();
    while (r.more(end)) {
      int t = r.tag();
      switch (t >>> 3) {
        case 1 -> function = r.scalar(t);
        case 2 -> line = r.scalar(t);
        case 3 -> column = r.scalar(t);
        default -> r.skip(t);
      }
    }
    p.locations.addLine(function, line, column);
  }

  private void function(int tag) {
    r.expect(tag, LEN);
    int n = p.functionCount();
    r.enter("function", n);
    if (n >= limits.maxFunctions()) {
      throw r.error(Reason.TOO_MANY_FUNCTIONS, r.tagOffset(),
          "function count exceeds limit maxFunctions=" + limits.maxFunctions());
    }
    int at = r.tagOffset();
    int end = r.beginLength();
    if (runs.function(at, r.offset(), end)) {
      r.skipTo(end);
      return;
    }
    p.fnOffset.add(at);
    long id = 0;
    long name = 0;
    long system = 0;
    long file = 0;
    long start = 0;
    while (r.more(end)) {
      int t = r.tag();
      switch (t >>> 3) {
        case 1 -> id = r.scalar(t);
        case 2 -> name = r.scalar(t);
        case 3 -> system = r.scalar(t);
        case 4 -> file = r.scalar(t);
        case 5 -> start = r.scalar(t);
        default -> r.skip(t);
      }
    }
    runs.addFunction(id, name, system, file, start);
  }
}
