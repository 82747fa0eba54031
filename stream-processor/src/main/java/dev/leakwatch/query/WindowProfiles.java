package dev.leakwatch.query;

import dev.leakwatch.detect.SiteFrame;
import dev.leakwatch.pprof.Function;
import dev.leakwatch.pprof.Line;
import dev.leakwatch.pprof.Location;
import dev.leakwatch.pprof.Profile;
import dev.leakwatch.pprof.Sample;
import dev.leakwatch.pprof.ValueType;
import dev.leakwatch.topology.window.StackValues;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a pprof {@link Profile} of a service over a range from its summed windows, so that {@code go
 * tool pprof} and the codec read it like a merged Go profile.
 *
 * <p>Heap: Go's four sample types in Go's order ({@code alloc_objects}, {@code alloc_space}, {@code
 * inuse_objects}, {@code inuse_space}; default {@code inuse_space}). In-use values are summed over
 * every heap capture of every instance in the range, exactly what merging those Go profiles gives;
 * {@code alloc_*} are what was allocated during the range (the growth of Go's cumulative counters,
 * summed over instances), not the counters since process start that a plain merge would add up.
 * Goroutine: {@code goroutine/count} summed over every goroutine capture. One sample per stack; one
 * location per frame (function, file, line), without addresses or mappings; time = range start,
 * duration = range length. Deterministic: same totals, same bytes.
 */
final class WindowProfiles {

  private WindowProfiles() {}

  static Profile build(String service, Section section, StackTotals totals, Map<Long, List<SiteFrame>> frames,
      TimeRange covered) {
    Tables tables = new Tables();
    List<Sample> samples = new ArrayList<>();
    List<StackValues> stacks = new ArrayList<>(totals.stacks(section).values());
    stacks.sort((a, b) -> Long.compareUnsigned(a.stackId(), b.stackId()));
    for (StackValues v : stacks) {
      long[] values = section == Section.HEAP
          ? new long[] {v.allocObjects(), v.allocBytes(), v.inuseObjects(), v.inuseBytes()}
          : new long[] {v.goroutines()};
      boolean zero = true;
      for (long x : values) {
        zero &= x == 0;
      }
      if (!zero) {
        samples.add(new Sample(values, tables.stack(frames.get(v.stackId())), Map.of(), Map.of(), Map.of()));
      }
    }
    boolean heap = section == Section.HEAP;
    return Profile.builder()
        .sampleTypes(heap
            ? List.of(new ValueType("alloc_objects", "count"), new ValueType("alloc_space", "bytes"),
                new ValueType("inuse_objects", "count"), new ValueType("inuse_space", "bytes"))
            : List.of(new ValueType("goroutine", "count")))
        .defaultSampleType(heap ? "inuse_space" : "")
        .periodType(heap ? new ValueType("space", "bytes") : new ValueType("goroutine", "count"))
        .period(heap ? 0 : 1)
        .timeNanos(covered.fromMs() * 1_000_000)
        .durationNanos(covered.spanMs() * 1_000_000)
        .comments(List.of("leakwatch: service " + service + ", " + section.label() + ", windows ["
            + TimeRange.iso(covered.fromMs()) + ", " + TimeRange.iso(covered.toMs()) + "), "
            + count(totals.captures(section), "capture") + " of " + count(totals.instances().size(), "instance")))
        .samples(samples)
        .locations(tables.locations)
        .functions(tables.functions)
        .build();
  }

  /** Function and location tables, one entry per distinct (function, file) and (function, line). */
  private static final class Tables {
    final List<Function> functions = new ArrayList<>();
    final List<Location> locations = new ArrayList<>();
    private final Map<String, Function> functionIndex = new HashMap<>();
    private final Map<String, Location> locationIndex = new HashMap<>();

    List<Location> stack(List<SiteFrame> frames) {
      List<Location> out = new ArrayList<>(frames.size());
      for (SiteFrame f : frames) {
        Function fn = functionIndex.computeIfAbsent(f.function() + '\n' + f.file(), k -> {
          Function created = new Function(functions.size() + 1, f.function(), f.function(), f.file(), 0);
          functions.add(created);
          return created;
        });
        out.add(locationIndex.computeIfAbsent(fn.id() + ":" + f.line(), k -> {
          Location created = new Location(locations.size() + 1, null, 0, List.of(new Line(fn, f.line(), 0)), false);
          locations.add(created);
          return created;
        }));
      }
      return out;
    }
  }

  /** {@code n} and the noun, plural unless one. */
  private static String count(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
