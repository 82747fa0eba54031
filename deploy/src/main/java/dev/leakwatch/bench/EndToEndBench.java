package dev.leakwatch.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * End to end on the local broker: agents' records in, processed (audit) records and suspect events
 * out, through the production processor with exactly_once_v2. Three phases:
 * <ol>
 *   <li>warm-up at full speed (JIT, RocksDB files, producer batches) until every instance has published
 *       a few captures: an instance's first capture costs more (every stack is new to the dictionary),
 *       and a real fleet is mostly in its steady state;
 *   <li>sustained rate: records are published as fast as the processor drains them (at most {@code
 *       maxBacklog} published but not yet processed), and the rate is what reached the audit topic;
 *   <li>half load: records are published at half the sustained rate, paced, and each one's latency
 *       from publish to its audit record is recorded; meanwhile leaking services replay a recorded heap
 *       leak at one capture per second (within the same total rate), and the latency from publishing
 *       the capture that triggered a suspect event to that event is recorded as well.
 * </ol>
 * Capture times are the wall clock at publish, as an agent's.
 */
public final class EndToEndBench {

  /**
   * @param instances fleet size; each instance publishes once per round of the fleet
   * @param services services of the fleet
   * @param leakingServices services (one instance each) replaying the recorded leak in the half-load
   *     phase, at most; fewer run when they would take more than half of its rate
   * @param partitions partitions of the topics
   * @param streamThreads the processor's stream threads (0: one per core, the processor's default)
   * @param processorHeap the processor JVM's {@code -Xmx}, e.g. {@code 1g}
   * @param processorJavaOptions more JVM options of the processor (e.g. a profiler), may be empty
   * @param streamsProperties Kafka Streams properties added to the processor's configuration ({@code
   *     streams:}), may be empty
   * @param warmup full-speed warm-up, at least
   * @param warmupRounds full-speed warm-up until each instance published this many captures, at least
   * @param sustained full-speed measurement
   * @param halfLoad paced measurement; at least 45 s so that leaks are detected in it
   * @param maxBacklog most records published but not processed in the full-speed phases
   */
  public record Settings(int instances, int services, int leakingServices, int partitions, int streamThreads,
      String processorHeap, List<String> processorJavaOptions, Map<String, String> streamsProperties,
      Duration warmup, int warmupRounds, Duration sustained, Duration halfLoad, int maxBacklog) {}

  /**
   * @param sustained processed records in the sustained phase; CPU time is processor + broker + load generator
   * @param processorCpuNanos the processor JVM's CPU time in the sustained phase
   * @param brokerCpuNanos the broker JVM's CPU time in the sustained phase
   * @param halfLoadRate records per second published in the half-load phase
   * @param processed latency publish → audit record, half load
   * @param late records of the half-load phase not processed within 30 s after it ended
   * @param leakingServices leaking services that ran in the half-load phase (at most half its rate)
   * @param suspects latency publish → suspect event, half load
   * @param suspectEvents suspect events seen in all
   * @param processorPeakRss peak RSS of the processor JVM, bytes
   * @param processorHeap largest heap after a GC in the processor JVM, bytes
   * @param brokerPeakRss peak RSS of the broker JVM, bytes
   * @param stateBytes the processor's state directory at the end, bytes
   */
  public record Result(Rate sustained, long processorCpuNanos, long brokerCpuNanos, double halfLoadRate,
      Latencies processed, int late, int leakingServices, Latencies suspects, long suspectEvents, long processorPeakRss,
      long processorHeap, long brokerPeakRss, long stateBytes) {}

  private static final Duration DRAIN = Duration.ofSeconds(30);
  private static final Duration BACKLOG_DRAIN = Duration.ofMinutes(2);

  private EndToEndBench() {}

  /**
   * @param processorCommand the processor's main class and arguments, given its configuration file
   */
  public static Result run(BenchProfiles profiles, BenchProfiles leak, Settings s, Path workDir,
      Function<Path, List<String>> processorCommand) {
    Fleet fleet = new Fleet(profiles, "svc", s.services(), s.instances(), true);
    Fleet leakers = new Fleet(leak, "leak", s.leakingServices(), s.leakingServices(), false);
    byte[][] probe = {fleet.key(0), fleet.envelope(0, 0, System.currentTimeMillis())};
    try (PipelineRig rig = new PipelineRig(workDir,
        new PipelineRig.Settings(s.partitions(), s.streamThreads(), s.processorHeap(),
            s.processorJavaOptions(), s.streamsProperties()), processorCommand, probe)) {
      Load load = new Load(rig, fleet, leakers, s.maxBacklog());
      // Warm-up: also until every instance has a stored series and snapshot (a first capture costs more).
      load.fullSpeed(s.warmup(), (long) s.warmupRounds() * fleet.size());

      long processed0 = rig.watcher().processed();
      long bytes0 = load.gzBytes();
      long proc0 = rig.processor().cpuNanos();
      long broker0 = rig.brokerCpuNanos();
      long self0 = ProcessStats.cpuNanos();
      long t0 = System.nanoTime();
      load.fullSpeed(s.sustained(), 0);
      long wall = System.nanoTime() - t0;
      long proc = rig.processor().cpuNanos() - proc0;
      long broker = rig.brokerCpuNanos() - broker0;
      long self = ProcessStats.cpuNanos() - self0;
      long done = rig.watcher().processed() - processed0;
      // bytes published in the phase approximate the bytes processed in it (the backlog is bounded)
      Rate sustained = new Rate(done, load.gzBytes() - bytes0, wall, proc + broker + self);

      double half = sustained.perSecond() / 2;
      load.drainBacklog(BACKLOG_DRAIN); // the half-load phase starts with nothing queued
      rig.audit().measure(true);
      rig.suspects().measure(true);
      long halfStart = System.nanoTime();
      long sent = load.paced(half, s.halfLoad());
      double halfRate = sent * 1e9 / (System.nanoTime() - halfStart);
      rig.audit().measure(false);
      rig.suspects().measure(false);
      load.drain(DRAIN);
      return new Result(sustained, proc, broker, halfRate, rig.audit().latencies(), rig.audit().outstanding(),
          load.leaksRun(), rig.suspects().latencies(), rig.watcher().suspectEvents(), rig.processor().peakRssBytes(),
          rig.processor().maxHeapAfterGcBytes(), rig.brokerPeakRssBytes(), rig.stateBytes());
    }
  }
}
