package dev.leakwatch.bench;

import dev.leakwatch.topology.TopologyNames;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Memory and state with many tracked instances: a fleet whose every instance has published {@code
 * captures} heap profiles of one process (at 30 s of capture time apart) through the production
 * topology with real RocksDB stores ({@link TopologyRun}); then the processor's heap after a full
 * GC and resident memory with all stores open, and the RocksDB bytes on disk. With the default
 * detection window (48 captures) and at least that many captures, every series is full: the steady
 * state.
 *
 * <p>With {@code tasks} > 1 the fleet is split by service into that many topologies fed in parallel
 * threads, as a processor with that many stream threads would run them (it only makes the run
 * faster: the state per instance is the same).
 */
public final class StateBench {

  /**
   * @param instances tracked instances (each one heap series)
   * @param services services they belong to
   * @param captures heap profiles per instance, at most the shortest sequence of the set (no restart)
   * @param tasks topologies fed in parallel
   */
  public record Settings(int instances, int services, int captures, int tasks) {}

  /**
   * @param heapAfterGc heap in use after a full GC with every store open, bytes
   * @param rss resident set size then, bytes
   * @param peakRss peak resident set size of the run, bytes
   * @param rocksDbBytes every file of the state directories (RocksDB files of every store), bytes
   * @param storeBytes of which per store (by store name, topology order), bytes
   * @param liveSstBytes RocksDB's live SST files of every store ({@code live-sst-files-size}), bytes
   * @param memTableBytes RocksDB's memtables of every store ({@code cur-size-all-mem-tables}), bytes
   * @param storedBytesPerSeries bytes of the per-instance store values ({@code instance-series} and
   *     {@code instance-snapshot}) per series
   * @param processed records that reached the audit topic
   */
  public record Result(int instances, int captures, long series, long heapAfterGc, long rss, long peakRss,
      long rocksDbBytes, Map<String, Long> storeBytes, long liveSstBytes, long memTableBytes,
      double storedBytesPerSeries, long processed) {}

  /** The topology's stores, in topology order. */
  public static final List<String> STORES = List.of(TopologyNames.INSTANCE_SERIES_STORE,
      TopologyNames.INSTANCE_SNAPSHOT_STORE, TopologyNames.SERVICE_WINDOWS_STORE,
      TopologyNames.STACK_DICTIONARY_STORE, TopologyNames.STACK_LAST_SEEN_STORE,
      TopologyNames.SUSPECT_LIFECYCLE_STORE, TopologyNames.SUSPECT_HISTORY_STORE);

  private StateBench() {}

  public static Result run(BenchProfiles profiles, Settings s, Path stateRoot) throws InterruptedException {
    if (s.captures() > profiles.shortestSequence()) {
      throw new IllegalArgumentException(s.captures() + " captures per instance, but set " + profiles.name()
          + " has sequences of " + profiles.shortestSequence() + ": instances would restart");
    }
    if (s.services() % s.tasks() != 0 || s.instances() % s.tasks() != 0) {
      throw new IllegalArgumentException("instances and services must divide evenly over " + s.tasks() + " tasks");
    }
    long start = System.currentTimeMillis() - java.time.Duration.ofDays(7).toMillis();
    List<TopologyRun> runs = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(s.tasks());
    try {
      List<Future<?>> fed = new ArrayList<>();
      for (int t = 0; t < s.tasks(); t++) {
        Fleet fleet = new Fleet(profiles, "svc" + t, s.services() / s.tasks(), s.instances() / s.tasks(), false);
        TopologyRun run = new TopologyRun(fleet, stateRoot, start);
        runs.add(run);
        fed.add(pool.submit(() -> run.pipe((long) fleet.size() * s.captures())));
      }
      for (Future<?> f : fed) {
        f.get();
      }
      long series = 0;
      long stored = 0;
      long processed = 0;
      long disk = 0;
      long sst = 0;
      long mem = 0;
      Map<String, Long> byStore = new LinkedHashMap<>();
      for (TopologyRun run : runs) {
        for (String store : STORES) {
          byStore.merge(store, ProcessStats.storeBytes(run.stateDir(), store), Long::sum);
        }
        long[] seriesStore = run.storeSize(TopologyNames.INSTANCE_SERIES_STORE);
        series += seriesStore[0];
        stored += seriesStore[1] + run.storeSize(TopologyNames.INSTANCE_SNAPSHOT_STORE)[1];
        processed += run.processed();
        disk += ProcessStats.directoryBytes(run.stateDir());
        sst += run.rocksDbMetric("live-sst-files-size");
        mem += run.rocksDbMetric("cur-size-all-mem-tables");
      }
      long heap = ProcessStats.heapAfterGc();
      long rss = ProcessStats.rssBytes();
      // The kernel updates VmHWM lazily (at unmaps, not at every page fault), so a VmHWM read after a
      // VmRSS can be below it when memory was returned in between: the peak is at least what was seen.
      long peakRss = Math.max(ProcessStats.peakRssBytes(), rss);
      return new Result(s.instances(), s.captures(), series, heap, rss, peakRss, disk, byStore, sst, mem,
          (double) stored / series, processed);
    } catch (ExecutionException e) {
      throw new IllegalStateException("feeding the topology failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
      for (TopologyRun run : runs) {
        run.close();
        BenchFiles.deleteTree(run.stateDir());
      }
    }
  }
}
