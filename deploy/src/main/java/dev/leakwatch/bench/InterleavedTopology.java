package dev.leakwatch.bench;

import dev.leakwatch.pprof.ProfileDecoder;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;

/**
 * Topology cost against bare decode cost, interleaved: many short rounds, each decoding a few
 * profiles and then piping as many records through the topology, each timed by the calling thread's
 * CPU time; the result is the median of each. On a machine shared with other jobs, a load change
 * hits both halves of a round alike, and CPU time leaves out the time spent waiting for a core, so
 * this ratio moves far less from run to run than the sequential rates of {@link TopologyBench}.
 *
 * <p>It counts the pipeline's own thread only (a stream task runs on one thread): RocksDB's
 * background flushes and compactions and the garbage collector's threads are not in it; the
 * sequential rates per CPU-second are the ones that include them.
 */
public final class InterleavedTopology {

  /**
   * @param decodeMicros median thread CPU µs to decode one profile
   * @param topologyMicros median thread CPU µs to pipe one record through the topology
   * @param rounds rounds measured
   */
  public record Result(double decodeMicros, double topologyMicros, int rounds) {
    /** Topology throughput over bare decode throughput: decode cost ÷ topology cost. */
    public double ratio() {
      return decodeMicros / topologyMicros;
    }
  }

  private InterleavedTopology() {}

  /**
   * @param run a warmed-up topology run; its schedule continues from where it is
   * @param profiles the gzip'd profiles to decode (the same set the run's fleet publishes)
   * @param rounds rounds to measure, at least 1
   * @param perRound profiles decoded and records piped per round, at least 1
   */
  public static Result measure(TopologyRun run, List<byte[]> profiles, int rounds, int perRound) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    double[] decode = new double[rounds];
    double[] topology = new double[rounds];
    int next = 0;
    for (int r = 0; r < rounds; r++) {
      long t0 = threads.getCurrentThreadCpuTime();
      for (int i = 0; i < perRound; i++) {
        ProfileDecoder.decode(profiles.get(next++ % profiles.size()));
      }
      run.prepare(perRound); // the agents' side: serializing the envelopes is not the topology's work
      long t1 = threads.getCurrentThreadCpuTime();
      run.pipePrepared();
      long t2 = threads.getCurrentThreadCpuTime();
      decode[r] = (t1 - t0) / 1e3 / perRound;
      topology[r] = (t2 - t1) / 1e3 / perRound;
    }
    return new Result(median(decode), median(topology), rounds);
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
