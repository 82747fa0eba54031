package dev.leakwatch.pprof;

import dev.leakwatch.pprof.ProfileDecodeException.Reason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Resolves a {@link RawProfile}: string indexes to strings, ids to shared table entries, and checks
 * what the format requires (string 0 is "", ids non-zero and unique, references resolve, one value
 * per sample type, stack depth within limits).
 */
final class ProfileAssembler {
  private final RawProfile raw;
  private final DecodeLimits limits;
  private final StringTable strings;

  private ProfileAssembler(RawProfile raw, DecodeLimits limits) {
    this.raw = raw;
    this.limits = limits;
    this.strings = StringTable.copyOf(raw.buf, raw.base, raw.stringStart, raw.stringEnd);
  }

  static Profile assemble(RawProfile raw, DecodeLimits limits) {
    return new ProfileAssembler(raw, limits).assemble();
  }

  private Profile assemble() {
    if (strings.size() == 0) {
      throw new ProfileDecodeException(Reason.BAD_STRING_TABLE, -1,
          "profile has no string table (entry 0 must be the empty string)");
    }
    if (!strings.isEmpty(0)) {
      throw new ProfileDecodeException(Reason.BAD_STRING_TABLE, raw.stringTableOffset,
          "string table entry 0 must be empty but is '" + abbreviate(strings.get(0)) + "' (offset "
              + raw.stringTableOffset + ")");
    }
    List<ValueType> types = sampleTypes();
    String defaultType = str(raw.defaultSampleType, "profile", -1, -1, "default_sample_type");
    if (!defaultType.isEmpty() && types.stream().noneMatch(t -> t.type().equals(defaultType))) {
      throw new ProfileDecodeException(Reason.BAD_DEFAULT_SAMPLE_TYPE, -1,
          "default_sample_type '" + defaultType + "' is not one of the sample types " + types);
    }
    List<Function> functions = new ArrayList<>(raw.functionCount());
    IdTable<Function> fnById = functions(functions);
    List<Mapping> mappings = new ArrayList<>(raw.mappings.size());
    IdTable<Mapping> mappingById = mappings(mappings);
    List<Location> locations = new ArrayList<>(raw.locationCount());
    IdTable<Location> locById = locations(locations, fnById, mappingById);
    List<String> comments = new ArrayList<>(raw.comments.size());
    for (int i = 0; i < raw.comments.size(); i++) {
      comments.add(str(raw.comments.get(i), "comment", i, -1, "text"));
    }
    return Profile.builder()
        .sampleTypes(types)
        .defaultSampleType(defaultType)
        .comments(comments)
        .docUrl(str(raw.docUrl, "profile", -1, -1, "doc_url"))
        .dropFrames(str(raw.dropFrames, "profile", -1, -1, "drop_frames"))
        .keepFrames(str(raw.keepFrames, "profile", -1, -1, "keep_frames"))
        .periodType(new ValueType(
            str(raw.periodTypeType, "period_type", -1, -1, "type"),
            str(raw.periodTypeUnit, "period_type", -1, -1, "unit")))
        .period(raw.period)
        .timeNanos(raw.timeNanos)
        .durationNanos(raw.durationNanos)
        .decodedTables(samples(types.size(), locById),
            Collections.unmodifiableList(locations),
            Collections.unmodifiableList(functions), Collections.unmodifiableList(mappings))
        .build();
  }

  /** The samples: finished from the first pass when it could read them all, else read now. */
  private SampleTable samples(int typeCount, IdTable<Location> locById) {
    Location[] dense = locById.dense();
    if (raw.goSamples.usable() && dense != null) {
      return new GoSampleResolver(raw, limits, strings, typeCount, dense).samples();
    }
    return SampleTable.of(new SampleParser(raw, limits, strings, typeCount, locById).samples(),
        typeCount);
  }

  private List<ValueType> sampleTypes() {
    int n = raw.sampleTypes.size() / 2;
    if (n == 0) {
      throw new ProfileDecodeException(Reason.NO_SAMPLE_TYPES, -1,
          "profile declares no sample types");
    }
    List<ValueType> types = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      types.add(new ValueType(
          str(raw.sampleTypes.get(2 * i), "sample_type", i, -1, "type"),
          str(raw.sampleTypes.get(2 * i + 1), "sample_type", i, -1, "unit")));
    }
    return types;
  }

  private IdTable<Function> functions(List<Function> out) {
    IdTable<Function> byId = new IdTable<>(raw.fnId, Function[]::new);
    for (int i = 0; i < raw.functionCount(); i++) {
      int off = raw.fnOffset.get(i);
      long id = raw.fnId.get(i);
      // the names stay indexes, checked here, until they are asked for
      Function f = new Function(id, strings,
          index(raw.fnName.get(i), "function", i, off, "name"),
          index(raw.fnSystemName.get(i), "function", i, off, "system_name"),
          index(raw.fnFile.get(i), "function", i, off, "filename"),
          raw.fnStartLine.get(i));
      register(byId, id, f, "function", i, off);
      out.add(f);
    }
    return byId;
  }

  private IdTable<Mapping> mappings(List<Mapping> out) {
    LongList ids = new LongList(raw.mappings.size());
    raw.mappings.forEach(m -> ids.add(m[0]));
    IdTable<Mapping> byId = new IdTable<>(ids, Mapping[]::new);
    for (int i = 0; i < raw.mappings.size(); i++) {
      long[] m = raw.mappings.get(i);
      int off = raw.mappingOffset.get(i);
      Mapping mapping = new Mapping(m[0], m[1], m[2], m[3],
          str(m[4], "mapping", i, off, "filename"), str(m[5], "mapping", i, off, "build_id"),
          m[6] != 0, m[7] != 0, m[8] != 0, m[9] != 0);
      register(byId, m[0], mapping, "mapping", i, off);
      out.add(mapping);
    }
    return byId;
  }

  private IdTable<Location> locations(
      List<Location> out, IdTable<Function> fnById, IdTable<Mapping> mappingById) {
    RawLocations locs = raw.locations;
    IdTable<Location> byId = new IdTable<>(locs.id, locs.count, Location[]::new);
    // every line's function, checked here; the lines themselves are made on first use
    int lineCount = locs.lines;
    LineTable lines = new LineTable(fnById, Arrays.copyOf(locs.function, lineCount),
        Arrays.copyOf(locs.number, lineCount), Arrays.copyOf(locs.column, lineCount));
    long[] ids = locs.id;
    long[] mappingIds = locs.mapping;
    long[] lineFunctionIds = locs.function;
    for (int i = 0; i < locs.count; i++) {
      int off = locs.offset[i];
      long mappingId = mappingIds[i];
      Mapping mapping = null;
      if (mappingId != 0) {
        mapping = mappingById.get(mappingId);
        if (mapping == null) {
          throw fail(Reason.UNRESOLVED_MAPPING, "location", i, off,
              "mapping id " + Long.toUnsignedString(mappingId) + " is not in the mapping table");
        }
      }
      int start = locs.lineStart[i];
      int count = locs.lineCount[i];
      for (int j = 0; j < count; j++) {
        long fnId = lineFunctionIds[start + j];
        if (!fnById.contains(fnId)) {
          throw fail(Reason.UNRESOLVED_FUNCTION, "location", i, off,
              "line " + j + " names function id " + Long.toUnsignedString(fnId)
                  + ", which is not in the function table");
        }
      }
      long id = ids[i];
      Location loc = new Location(id, mapping, locs.address[i], locs.folded[i], lines, start,
          count);
      register(byId, id, loc, "location", i, off);
      out.add(loc);
    }
    return byId;
  }

  private <T> void register(IdTable<T> table, long id, T entry, String record, int i, int off) {
    if (id == 0) {
      throw fail(Reason.ZERO_ID, record, i, off, "id is 0, which means 'absent'");
    }
    if (!table.put(id, entry)) {
      throw fail(Reason.DUPLICATE_ID, record, i, off,
          "id " + Long.toUnsignedString(id) + " is used by an earlier " + record);
    }
  }

  private String str(long index, String record, long i, int off, String field) {
    return strings.get(index(index, record, i, off, field));
  }

  private int index(long index, String record, long i, int off, String field) {
    return checkString(strings, index, record, i, off, field);
  }

  /** {@code index} if it is within the table, else a STRING_INDEX_OUT_OF_RANGE naming the field. */
  static int checkString(
      StringTable strings, long index, String record, long i, int off, String field) {
    if (index >= 0 && index < strings.size()) {
      return (int) index;
    }
    throw fail(Reason.STRING_INDEX_OUT_OF_RANGE, record, i, off,
        field + " string index " + index + " is outside the string table [0, " + strings.size()
            + ")");
  }

  /** An error about record {@code i} of kind {@code record} starting at {@code off}. */
  static ProfileDecodeException fail(
      Reason reason, String record, long i, int off, String what) {
    return ProfileDecodeException.at(reason, record, i, off, what);
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
