package dev.leakwatch.cli;

import dev.leakwatch.bench.BenchProfiles;
import dev.leakwatch.bench.EndToEndBench;
import dev.leakwatch.bench.GoParse;
import dev.leakwatch.bench.InterleavedTopology;
import dev.leakwatch.bench.Machine;
import dev.leakwatch.bench.QueryBench;
import dev.leakwatch.bench.Rate;
import dev.leakwatch.bench.StateBench;
import dev.leakwatch.bench.TopologyBench;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmarks' output: Markdown tables (as pasted into docs/PERFORMANCE.md), printed when the
 * command ends, with a progress line per result meanwhile. MB are 10^6 bytes, MiB 2^20.
 */
final class BenchReport {

  private static final double MIB = 1 << 20;

  private final PrintWriter out;
  private final Map<String, List<String>> tables = new LinkedHashMap<>();

  BenchReport(PrintWriter out) {
    this.out = out;
  }

  void machine() {
    out.println("machine: " + Machine.describe());
    out.println("load average before: " + Machine.loadAverage());
    out.flush();
  }

  void topology(String set, BenchProfiles p, TopologyBench.Result r) {
    row("| profiles | mean gz bytes | bare decode profiles/s | decode-envelope stage profiles/s"
        + " | topology profiles/s | topology ÷ decode | decode profiles/CPU-s | topology profiles/CPU-s"
        + " | topology ÷ decode (CPU) | processed | dead letters |",
        fmt("| %s | %.0f | %.0f | %.0f | %.0f | %.2f | %.0f | %.0f | %.2f | %d | %d |", set, p.meanBytes(),
            r.decode().perSecond(), r.envelope().perSecond(), r.topology().perSecond(), r.ratio(),
            r.decode().perCpuSecond(), r.topology().perCpuSecond(), r.cpuRatio(), r.processed(), r.deadLetters()));
    InterleavedTopology.Result i = r.interleaved();
    if (i != null) {
      row("| profiles | interleaved rounds | decode µs/profile (thread CPU, median) | topology µs/record (thread CPU,"
          + " median) | topology ÷ decode (interleaved) |",
          fmt("| %s | %d | %.0f | %.0f | %.2f |", set, i.rounds(), i.decodeMicros(), i.topologyMicros(), i.ratio()));
    }
  }

  void endToEnd(String set, BenchProfiles p, EndToEndBench.Result r) {
    Rate s = r.sustained();
    row("| profiles | mean gz bytes | sustained profiles/s | MB/s (gz) | profiles/CPU-s, processor"
        + " | profiles/CPU-s, all (processor+broker+load) | half load profiles/s | processed p50 ms | p99 ms"
        + " | max ms | late | leaking services | suspect events measured | suspect p50 ms | p99 ms |",
        fmt("| %s | %.0f | %.0f | %.1f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %d | %d | %d | %.0f | %.0f |", set,
            p.meanBytes(), s.perSecond(), s.mbPerSecond(), s.profiles() * 1e9 / r.processorCpuNanos(),
            s.perCpuSecond(), r.halfLoadRate(), r.processed().percentileMs(50), r.processed().percentileMs(99),
            r.processed().maxMs(), r.late(), r.leakingServices(), r.suspects().count(), r.suspects().percentileMs(50),
            r.suspects().percentileMs(99)));
    row("| profiles | CPU share in the sustained phase: processor / broker / load generator"
        + " | processor heap after GC, max MiB | processor peak RSS MiB | broker peak RSS MiB | state MiB |",
        fmt("| %s | %.0f%% / %.0f%% / %.0f%% | %.0f | %.0f | %.0f | %.1f |", set,
            100.0 * r.processorCpuNanos() / s.cpuNanos(), 100.0 * r.brokerCpuNanos() / s.cpuNanos(),
            100.0 * (s.cpuNanos() - r.processorCpuNanos() - r.brokerCpuNanos()) / s.cpuNanos(),
            r.processorHeap() / MIB, r.processorPeakRss() / MIB, r.brokerPeakRss() / MIB, r.stateBytes() / MIB));
  }

  void goParse(String set, int files, GoParse.Result go, Rate java) {
    row("| profiles | files | Go profile.Parse profiles/s (1 core) | Java decode profiles/s (same files, same run)"
        + " | Java ÷ Go | note |",
        fmt("| %s | %d | %.0f | %.0f | %.1f | %s |", set, files, go.profilesPerSecond(), java.perSecond(),
            java.perSecond() / go.profilesPerSecond(), go.note()));
  }

  void state(String set, StateBench.Result r) {
    StringBuilder stores = new StringBuilder();
    for (String store : StateBench.STORES) {
      stores.append(stores.length() == 0 ? "" : " / ")
          .append(fmt("%.0f", (double) r.storeBytes().getOrDefault(store, 0L) / r.series()));
    }
    row("| profiles | instances | captures each | RocksDB bytes per series by store: " + String.join(" / ",
        StateBench.STORES) + " |", fmt("| %s | %d | %d | %s |", set, r.instances(), r.captures(), stores));
    row("| profiles | instances | captures each | series | RocksDB live SST MiB | memtables MiB"
        + " | SST + memtables bytes per series |", fmt("| %s | %d | %d | %d | %.1f | %.1f | %.0f |", set,
            r.instances(), r.captures(), r.series(), r.liveSstBytes() / MIB, r.memTableBytes() / MIB,
            (double) (r.liveSstBytes() + r.memTableBytes()) / r.series()));
    row("| profiles | instances | captures each | series | heap after GC MiB | RSS MiB (peak) | RocksDB MiB"
        + " | state bytes per series (RocksDB ÷ series) | stored bytes per series (store values) | processed |",
        fmt("| %s | %d | %d | %d | %.0f | %.0f (%.0f) | %.1f | %.0f | %.0f | %d |", set, r.instances(),
            r.captures(), r.series(), r.heapAfterGc() / MIB, r.rss() / MIB, r.peakRss() / MIB,
            r.rocksDbBytes() / MIB, (double) r.rocksDbBytes() / r.series(), r.storedBytesPerSeries(),
            r.processed()));
  }

  void scaling(int scale, BenchProfiles p, TopologyBench.Result t, EndToEndBench.Result e, StateBench.Result s) {
    row("| scale | profiles | samples per profile | mean gz KB | bare decode profiles/s (per CPU-s)"
        + " | topology profiles/s (per CPU-s) | topology ÷ decode (CPU) | end to end sustained profiles/s"
        + " (per CPU-s, all) | half-load p99 ms | processor heap after GC, max MiB | processor peak RSS MiB"
        + " | stored bytes per series | RocksDB bytes per series |",
        fmt("| %dx | %s | %.0f | %.1f | %.0f (%.0f) | %.0f (%.0f) | %.2f | %.0f (%.0f) | %.0f | %.0f | %.0f | %.0f | %.0f |",
            scale, p.name(), p.meanSamples(), p.meanBytes() / 1000, t.decode().perSecond(), t.decode().perCpuSecond(),
            t.topology().perSecond(), t.topology().perCpuSecond(), t.cpuRatio(), e.sustained().perSecond(),
            e.sustained().perCpuSecond(), e.processed().percentileMs(99), e.processorHeap() / MIB,
            e.processorPeakRss() / MIB, s.storedBytesPerSeries(), (double) s.rocksDbBytes() / s.series()));
  }

  void query(String set, QueryBench.Settings s, QueryBench.Result r) {
    String fleet = fmt("%d × %d (%s)", s.services(), s.instances(), set);
    row("| fleet | captures per instance, every | capture span h | leaking instances | records | fill s"
        + " | fill profiles/s | open suspects | processor heap after GC, max MiB | state MiB |",
        fmt("| %s | %d, %ds | %.1f | %d | %d | %.0f | %.0f | %d | %.0f | %.0f |", fleet, s.captures(),
            s.interval().toSeconds(), r.span().toMillis() / 3.6e6, s.leakingInstances(), r.records(),
            r.fill().toMillis() / 1e3, r.records() * 1e3 / Math.max(1, r.fill().toMillis()), r.suspects(),
            r.processorHeap() / MIB, r.stateBytes() / MIB));
    for (var c : r.calls()) {
      row("| fleet | endpoint | asked | what the answer read | calls | p50 ms | p99 ms | max ms | answer bytes |",
          fmt("| %s | %s | `%s` | %s | %d | %.1f | %.1f | %.1f | %,d |", fleet, c.name(), c.path(), c.touched(),
              c.latencies().count(), c.latencies().percentileMs(50), c.latencies().percentileMs(99),
              c.latencies().maxMs(), c.bytes()));
    }
  }

  void print() {
    for (Map.Entry<String, List<String>> t : tables.entrySet()) {
      out.println();
      out.println(t.getKey());
      out.println(t.getKey().replaceAll("[^|]+", "---"));
      t.getValue().forEach(out::println);
    }
    out.println();
    out.println("load average after: " + Machine.loadAverage());
    out.flush();
  }

  private void row(String header, String row) {
    tables.computeIfAbsent(header, h -> new ArrayList<>()).add(row);
    out.println("done: " + row);
    out.flush();
  }

  private static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
