package dev.leakwatch.pprof;

import static dev.leakwatch.pprof.WireReader.LEN;
import static dev.leakwatch.pprof.WireReader.VARINT;

import dev.leakwatch.pprof.ProfileDecodeException.Reason;

/**
 * One pass over a profile.proto message that records every field in a {@link RawProfile} without
 * resolving anything (the format puts the string table after the records that use it). Count and
 * size limits are enforced as soon as they are passed, so hostile input stops early.
 */
final class ProfileParser {
  private final WireReader r;
  private final DecodeLimits limits;
  private final RawProfile p = new RawProfile();

  private ProfileParser(byte[] buf, int off, int len, DecodeLimits limits) {
    this.r = new WireReader(buf, off, len);
    this.limits = limits;
  }

  /** Parses {@code buf[off, off + len)}; offsets in errors are relative to {@code off}. */
  static RawProfile parse(byte[] buf, int off, int len, DecodeLimits limits) {
    ProfileParser parser = new ProfileParser(buf, off, len, limits);
    parser.profile();
    return parser.p;
  }

  private void profile() {
    for (int tag = r.tag(); tag != 0; tag = r.tag()) {
      switch (tag >>> 3) {
        case 1 -> sampleType(tag);
        case 2 -> sample(tag);
        case 3 -> mapping(tag);
        case 4 -> location(tag);
        case 5 -> function(tag);
        case 6 -> string(tag);
        case 7 -> p.dropFrames = scalar(tag);
        case 8 -> p.keepFrames = scalar(tag);
        case 9 -> p.timeNanos = scalar(tag);
        case 10 -> p.durationNanos = scalar(tag);
        case 11 -> periodType(tag);
        case 12 -> p.period = scalar(tag);
        case 13 -> repeated(tag, p.comments);
        case 14 -> p.defaultSampleType = scalar(tag);
        case 15 -> p.docUrl = scalar(tag);
        default -> r.skip(tag);
      }
      r.enter("profile", -1);
    }
  }

  private long scalar(int tag) {
    r.expect(tag, VARINT);
    return r.varint();
  }

  /** A repeated varint field, packed (what Go writes) or one element per tag. */
  private void repeated(int tag, LongList sink) {
    if ((tag & 7) == LEN) {
      int token = r.pushLength();
      while (!r.atEnd()) {
        sink.add(r.varint());
      }
      r.popLimit(token);
    } else {
      sink.add(scalar(tag));
    }
  }

  private void sampleType(int tag) {
    r.expect(tag, LEN);
    r.enter("sample_type", p.sampleTypes.size() / 2);
    long[] tu = valueType();
    p.sampleTypes.add(tu[0]);
    p.sampleTypes.add(tu[1]);
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
    int token = r.pushLength();
    for (int tag = r.tag(); tag != 0; tag = r.tag()) {
      switch (tag >>> 3) {
        case 1 -> tu[0] = scalar(tag);
        case 2 -> tu[1] = scalar(tag);
        default -> r.skip(tag);
      }
    }
    r.popLimit(token);
    return tu;
  }

  private void string(int tag) {
    r.expect(tag, LEN);
    int n = p.strings.size();
    r.enter("string", n);
    if (n == 0) {
      p.stringTableOffset = r.tagOffset();
    }
    if (n >= limits.maxStrings()) {
      throw r.error(Reason.TOO_MANY_STRINGS, r.tagOffset(),
          "string table exceeds limit maxStrings=" + limits.maxStrings());
    }
    p.strings.add(r.string(limits.maxStringBytes()));
  }

  private void sample(int tag) {
    r.expect(tag, LEN);
    int n = p.sampleCount();
    r.enter("sample", n);
    if (n >= limits.maxSamples()) {
      throw r.error(Reason.TOO_MANY_SAMPLES, r.tagOffset(),
          "sample count exceeds limit maxSamples=" + limits.maxSamples());
    }
    p.sampleOffset.add(r.tagOffset());
    int locStart = p.sampleLocIds.size();
    int valStart = p.sampleValues.size();
    int labelStart = p.labelKey.size();
    int token = r.pushLength();
    for (int t = r.tag(); t != 0; t = r.tag()) {
      switch (t >>> 3) {
        case 1 -> {
          repeated(t, p.sampleLocIds);
          checkDepth(p.sampleLocIds.size() - locStart);
        }
        case 2 -> repeated(t, p.sampleValues);
        case 3 -> label(t, p.labelKey.size() - labelStart);
        default -> r.skip(t);
      }
    }
    r.popLimit(token);
    p.sampleLocStart.add(locStart);
    p.sampleLocCount.add(p.sampleLocIds.size() - locStart);
    p.sampleValStart.add(valStart);
    p.sampleValCount.add(p.sampleValues.size() - valStart);
    p.sampleLabelStart.add(labelStart);
    p.sampleLabelCount.add(p.labelKey.size() - labelStart);
  }

  private void checkDepth(int locations) {
    // Every location expands to at least one frame, so this bounds memory before assembly counts
    // the exact depth.
    if (locations > limits.maxStackDepth()) {
      throw r.error(Reason.STACK_TOO_DEEP, p.sampleOffset.get(p.sampleCount() - 1),
          "stack of more than " + limits.maxStackDepth() + " locations exceeds limit maxStackDepth="
              + limits.maxStackDepth());
    }
  }

  private void label(int tag, int existing) {
    r.expect(tag, LEN);
    if (existing >= limits.maxLabelsPerSample()) {
      throw r.error(Reason.TOO_MANY_LABELS, r.tagOffset(),
          "label count exceeds limit maxLabelsPerSample=" + limits.maxLabelsPerSample());
    }
    p.labelOffset.add(r.tagOffset());
    long key = 0;
    long str = 0;
    long num = 0;
    long unit = 0;
    int token = r.pushLength();
    for (int t = r.tag(); t != 0; t = r.tag()) {
      switch (t >>> 3) {
        case 1 -> key = scalar(t);
        case 2 -> str = scalar(t);
        case 3 -> num = scalar(t);
        case 4 -> unit = scalar(t);
        default -> r.skip(t);
      }
    }
    r.popLimit(token);
    p.labelKey.add(key);
    p.labelStr.add(str);
    p.labelNum.add(num);
    p.labelUnit.add(unit);
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
    int token = r.pushLength();
    for (int t = r.tag(); t != 0; t = r.tag()) {
      int f = t >>> 3;
      if (f >= 1 && f <= RawProfile.MAPPING_FIELDS) {
        m[f - 1] = scalar(t);
      } else {
        r.skip(t);
      }
    }
    r.popLimit(token);
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
    p.locOffset.add(r.tagOffset());
    long id = 0;
    long mapping = 0;
    long address = 0;
    long folded = 0;
    int lineStart = p.lineFunction.size();
    int token = r.pushLength();
    for (int t = r.tag(); t != 0; t = r.tag()) {
      switch (t >>> 3) {
        case 1 -> id = scalar(t);
        case 2 -> mapping = scalar(t);
        case 3 -> address = scalar(t);
        case 4 -> line(t, p.lineFunction.size() - lineStart);
        case 5 -> folded = scalar(t);
        default -> r.skip(t);
      }
    }
    r.popLimit(token);
    p.locId.add(id);
    p.locMapping.add(mapping);
    p.locAddress.add(address);
    p.locFolded.add(folded != 0 ? 1 : 0);
    p.locLineStart.add(lineStart);
    p.locLineCount.add(p.lineFunction.size() - lineStart);
  }

  private void line(int tag, int existing) {
    r.expect(tag, LEN);
    if (existing >= limits.maxStackDepth()) {
      throw r.error(Reason.STACK_TOO_DEEP, r.tagOffset(),
          "more than " + limits.maxStackDepth() + " inlined lines exceed limit maxStackDepth="
              + limits.maxStackDepth());
    }
    long function = 0;
    long line = 0;
    long column = 0;
    int token = r.pushLength();
    for (int t = r.tag(); t != 0; t = r.tag()) {
      switch (t >>> 3) {
        case 1 -> function = scalar(t);
        case 2 -> line = scalar(t);
        case 3 -> column = scalar(t);
        default -> r.skip(t);
      }
    }
    r.popLimit(token);
    p.lineFunction.add(function);
    p.lineNumber.add(line);
    p.lineColumn.add(column);
  }

  private void function(int tag) {
    r.expect(tag, LEN);
    int n = p.functionCount();
    r.enter("function", n);
    if (n >= limits.maxFunctions()) {
      throw r.error(Reason.TOO_MANY_FUNCTIONS, r.tagOffset(),
          "function count exceeds limit maxFunctions=" + limits.maxFunctions());
    }
    p.fnOffset.add(r.tagOffset());
    long id = 0;
    long name = 0;
    long system = 0;
    long file = 0;
    long start = 0;
    int token = r.pushLength();
    for (int t = r.tag(); t != 0; t = r.tag()) {
      switch (t >>> 3) {
        case 1 -> id = scalar(t);
        case 2 -> name = scalar(t);
        case 3 -> system = scalar(t);
        case 4 -> file = scalar(t);
        case 5 -> start = scalar(t);
        default -> r.skip(t);
      }
    }
    r.popLimit(token);
    p.fnId.add(id);
    p.fnName.add(name);
    p.fnSystemName.add(system);
    p.fnFile.add(file);
    p.fnStartLine.add(start);
  }
}
