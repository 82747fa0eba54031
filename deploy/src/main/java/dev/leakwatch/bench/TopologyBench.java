package dev.leakwatch.bench;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Topology throughput against the bare decode rate, in one run: profiles/s through the full
 * production topology with real RocksDB stores ({@link TopologyRun}), and profiles/s of {@link
 * DecodeRate} on the same profiles just before. The target: the topology sustains at least
 * half of the bare decode rate.
 *
 * <p>Both are single-threaded (a Kafka Streams task runs on one thread); rates per CPU-second count
 * the whole process (GC, RocksDB's background threads), which makes them comparable on a machine
 * shared with other jobs.
 */
public final class TopologyBench {

  /**
   * @param decode bare decode of the same profile set
   * @param envelope the topology's first stage alone (Avro, validation, decode, site extraction)
   * @param topology the measured records through the topology
   * @param processed measured records that reached the audit topic (must equal {@code topology.profiles()})
   * @param deadLetters records dead-lettered (must be 0)
   * @param suspects suspect events emitted during the measured records
   * @param interleaved the interleaved thread-CPU comparison after the measured records; null when
   *     not asked for
   */
  public record Result(Rate decode, Rate envelope, Rate topology, long processed, long deadLetters, long suspects,
      InterleavedTopology.Result interleaved) {

    /** Topology rate over bare decode rate (wall clock). */
    public double ratio() {
      return topology.perSecond() / decode.perSecond();
    }

    /** The same per CPU-second. */
    public double cpuRatio() {
      return topology.perCpuSecond() / decode.perCpuSecond();
    }
  }

  /**
   * @param instances fleet size; at least a few hundred so stores hold many keys as in production
   * @param services services the instances are spread over
   * @param warmup records piped before measuring (JIT, RocksDB files and caches)
   * @param measured records measured, at most
   * @param maxMeasure the measurement also ends once this long has passed (at least one chunk of
   *     {@value #CHUNK} records is measured): bounds the run for large profiles
   * @param decodeTime how long the bare decode and the first stage are measured (each after as long a
   *     warm-up)
   * @param interleavedRounds rounds of {@link InterleavedTopology} after the measured records
   *     ({@value #INTERLEAVED_CHUNK} profiles each); 0 for none
   */
  public record Settings(int instances, int services, long warmup, long measured, Duration maxMeasure,
      Duration decodeTime, int interleavedRounds) {

    /** Without the interleaved comparison. */
    public Settings(int instances, int services, long warmup, long measured, Duration maxMeasure, Duration decodeTime) {
      this(instances, services, warmup, measured, maxMeasure, decodeTime, 0);
    }
  }

  /** Records piped (and profiles decoded) per interleaved round. */
  static final int INTERLEAVED_CHUNK = 40;

  /** Records piped between two looks at the clock. */
  static final int CHUNK = 20;

  private TopologyBench() {}

  public static Result run(BenchProfiles profiles, Settings s, Path stateRoot) {
    Rate decode = DecodeRate.measure(profiles.all(), s.decodeTime(), s.decodeTime());
    Rate envelope = DecodeRate.measureEnvelopes(profiles, s.decodeTime(), s.decodeTime());
    Fleet fleet = new Fleet(profiles, "svc", s.services(), s.instances(), true);
    long start = System.currentTimeMillis() - Duration.ofDays(7).toMillis();
    TopologyRun run = new TopologyRun(fleet, stateRoot, start);
    try {
      run.pipe(s.warmup());
      long processed0 = run.processed();
      long dead0 = run.deadLettered();
      long suspects0 = run.suspectEvents();
      long bytes0 = run.gzBytes();
      long piped0 = run.piped();
      long deadline = System.nanoTime() + s.maxMeasure().toNanos();
      long wall = 0;
      long cpu = 0;
      do {
        // the envelopes are serialized untimed, as the bare decode gets its profiles ready
        run.prepare((int) Math.min(CHUNK, s.measured() - (run.piped() - piped0)));
        long cpu0 = ProcessStats.cpuNanos();
        long t0 = System.nanoTime();
        run.pipePrepared();
        wall += System.nanoTime() - t0;
        cpu += ProcessStats.cpuNanos() - cpu0;
      } while (run.piped() - piped0 < s.measured() && System.nanoTime() < deadline);
      Rate topology = new Rate(run.piped() - piped0, run.gzBytes() - bytes0, wall, cpu);
      long processed = run.processed() - processed0;
      long dead = run.deadLettered() - dead0;
      long suspects = run.suspectEvents() - suspects0;
      InterleavedTopology.Result interleaved = s.interleavedRounds() < 1 ? null
          : InterleavedTopology.measure(run, profiles.all(), s.interleavedRounds(), INTERLEAVED_CHUNK);
      return new Result(decode, envelope, topology, processed, dead, suspects, interleaved);
    } finally {
      run.close();
      BenchFiles.deleteTree(run.stateDir());
    }
  }
}
