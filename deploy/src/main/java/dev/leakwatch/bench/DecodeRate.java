package dev.leakwatch.bench;

import dev.leakwatch.pprof.DecodeLimits;
import dev.leakwatch.pprof.ProfileDecoder;
import dev.leakwatch.schemas.serde.LeakwatchSerdes;
import dev.leakwatch.topology.DecodeOutcome;
import dev.leakwatch.topology.EnvelopeDecoder;
import dev.leakwatch.topology.SourcePosition;
import dev.leakwatch.topology.TopologyConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;

/**
 * Single-threaded rates of the first steps of the pipeline on the same profiles it gets, measured in
 * the same JVM and run as the topology: the bare {@link ProfileDecoder#decode} (bounded gunzip, parse,
 * resolve) that the topology's rate is held against, and the topology's whole first stage ({@link
 * EnvelopeDecoder}: Avro, validation, decode, detection's site extraction), which shows where the
 * rest of the time goes.
 */
public final class DecodeRate {

  private DecodeRate() {}

  /** The bare decode of {@code profiles} (gzip'd), round-robin; see {@link #timed}. */
  public static Rate measure(List<byte[]> profiles, Duration warmup, Duration measure) {
    DecodeLimits limits = DecodeLimits.defaults();
    return timed(profiles.size(), i -> {
      byte[] gz = profiles.get(i);
      if (ProfileDecoder.decode(gz, limits).samples().isEmpty()) {
        throw new IllegalStateException("profile " + i + " has no samples");
      }
      return gz.length;
    }, warmup, measure);
  }

  /** The decode-envelope stage on every profile of the set, published by one instance. */
  public static Rate measureEnvelopes(BenchProfiles profiles, Duration warmup, Duration measure) {
    Fleet fleet = new Fleet(profiles, "svc", 1, 1, false);
    List<byte[]> all = profiles.all();
    TopologyConfig config = TopologyConfig.defaults();
    EnvelopeDecoder decoder =
        new EnvelopeDecoder(LeakwatchSerdes.profileEnvelope(Map.of(), false).deserializer(), config);
    int n = all.size();
    long start = System.currentTimeMillis() - Duration.ofDays(1).toMillis();
    byte[][] values = new byte[n][];
    for (int c = 0; c < n; c++) {
      values[c] = fleet.envelope(0, all.get(c), start + c * 1000L);
    }
    byte[] key = fleet.key(0);
    return timed(n, c -> {
      SourcePosition at = new SourcePosition(config.profilesTopic(), 0, c, start + c * 1000L);
      if (!(decoder.decode(key, values[c], at, at.timestamp()) instanceof DecodeOutcome.Decoded)) {
        throw new IllegalStateException("envelope " + c + " was rejected");
      }
      return all.get(c).length;
    }, warmup, measure);
  }

  /**
   * Runs {@code work} on items 0, 1, ... round-robin, first for {@code warmup} (JIT), then for at
   * least {@code measure} and one pass. CPU time is the whole process' (garbage collection included).
   *
   * @param work does item {@code i}, returns its compressed size in bytes
   */
  private static Rate timed(int items, IntUnaryOperator work, Duration warmup, Duration measure) {
    run(items, work, warmup.toNanos(), 1);
    long cpu0 = ProcessStats.cpuNanos();
    long t0 = System.nanoTime();
    long[] done = run(items, work, measure.toNanos(), items);
    return new Rate(done[0], done[1], System.nanoTime() - t0, ProcessStats.cpuNanos() - cpu0);
  }

  /** Works until {@code nanos} have passed and at least {@code minCount} items are done: {count, bytes}. */
  private static long[] run(int items, IntUnaryOperator work, long nanos, int minCount) {
    long start = System.nanoTime();
    long count = 0;
    long bytes = 0;
    while (count < minCount || System.nanoTime() - start < nanos) {
      bytes += work.applyAsInt((int) (count % items));
      count++;
    }
    return new long[] {count, bytes};
  }
}
