package dev.leakwatch.pprof;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Re-numbers and de-duplicates the mapping, location and function tables of several profiles into
 * one, as pprof's merge does: functions are equal by (name, system name, file, start line);
 * mappings by (size rounded up to 4 KiB, file offset, build id or else file); locations by
 * (mapping, address relative to the mapping start, folded flag, lines). New ids count from 1 in
 * order of first use.
 */
final class TableMerger {
  private record FunctionKey(String name, String systemName, String file, long startLine) {}

  private record MappingKey(long size, long offset, String buildIdOrFile) {}

  private record LineKey(long functionId, long line) {}

  private record LocationKey(long mappingId, long address, boolean folded, List<LineKey> lines) {}

  /** A merged mapping and how far a source mapping's addresses shift to land in it. */
  private record MappedTo(Mapping mapping, long shift) {}

  private final Map<FunctionKey, Function> functions = new HashMap<>();
  private final Map<MappingKey, Mapping> mappings = new HashMap<>();
  private final Map<LocationKey, Location> locations = new HashMap<>();
  final List<Function> functionList = new ArrayList<>();
  final List<Mapping> mappingList = new ArrayList<>();
  final List<Location> locationList = new ArrayList<>();

  // Per source profile: its entries already mapped (table entries are shared objects).
  private final Map<Function, Function> functionMemo = new IdentityHashMap<>();
  private final Map<Mapping, MappedTo> mappingMemo = new IdentityHashMap<>();
  private final Map<Location, Location> locationMemo = new IdentityHashMap<>();

  /** Starts a new source profile; its first mapping (the main binary) is placed first. */
  void beginSource(Profile src) {
    functionMemo.clear();
    mappingMemo.clear();
    locationMemo.clear();
    if (mappingList.isEmpty() && !src.mappings().isEmpty()) {
      map(src.mappings().get(0));
    }
  }

  Location map(Location src) {
    Location done = locationMemo.get(src);
    if (done != null) {
      return done;
    }
    MappedTo mt = src.mapping() == null ? new MappedTo(null, 0) : map(src.mapping());
    long address = src.address() + mt.shift;
    List<Line> lines = new ArrayList<>(src.lines().size());
    List<LineKey> lineKeys = new ArrayList<>(src.lines().size());
    for (Line l : src.lines()) {
      Function f = map(l.function());
      lines.add(new Line(f, l.line(), l.column()));
      lineKeys.add(new LineKey(f.id(), l.line()));
    }
    long mappingId = mt.mapping == null ? 0 : mt.mapping.id();
    long relative = mt.mapping == null ? address : address - mt.mapping.memoryStart();
    LocationKey key = new LocationKey(mappingId, relative, src.isFolded(), lineKeys);
    Location loc = locations.get(key);
    if (loc == null) {
      loc = new Location(locationList.size() + 1, mt.mapping, address, lines, src.isFolded());
      locations.put(key, loc);
      locationList.add(loc);
    }
    locationMemo.put(src, loc);
    return loc;
  }

  private MappedTo map(Mapping src) {
    MappedTo done = mappingMemo.get(src);
    if (done != null) {
      return done;
    }
    // Sizes are rounded up to 4 KiB so that small differences between runs still match.
    long size = src.memoryLimit() - src.memoryStart();
    size = size + 0xfff;
    size = size - Long.remainderUnsigned(size, 0x1000);
    String id = !src.buildId().isEmpty() ? src.buildId() : src.file();
    MappingKey key = new MappingKey(size, src.fileOffset(), id);
    Mapping m = mappings.get(key);
    MappedTo mt;
    if (m != null) {
      mt = new MappedTo(m, m.memoryStart() - src.memoryStart());
    } else {
      m = new Mapping(mappingList.size() + 1, src.memoryStart(), src.memoryLimit(),
          src.fileOffset(), src.file(), src.buildId(), src.hasFunctions(), src.hasFilenames(),
          src.hasLineNumbers(), src.hasInlineFrames());
      mappings.put(key, m);
      mappingList.add(m);
      mt = new MappedTo(m, 0);
    }
    mappingMemo.put(src, mt);
    return mt;
  }

  private Function map(Function src) {
    Function done = functionMemo.get(src);
    if (done != null) {
      return done;
    }
    FunctionKey key =
        new FunctionKey(src.name(), src.systemName(), src.file(), src.startLine());
    Function f = functions.get(key);
    if (f == null) {
      f = new Function(functionList.size() + 1, src.name(), src.systemName(), src.file(),
          src.startLine());
      functions.put(key, f);
      functionList.add(f);
    }
    functionMemo.put(src, f);
    return f;
  }
}
