package dev.leakwatch.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What an analyst waits for: the query API of the production processor over real HTTP on
 * localhost, after a fleet's captures have filled its stores.
 *
 * <p>The query layer reads Kafka Streams' stores through interactive queries, which need a running
 * {@code KafkaStreams}: a test driver has none. So the stores are filled the cheapest real way, by
 * the production processor ({@link PipelineRig}: the local broker and this CLI's {@code processor}
 * command in a child JVM, exactly_once_v2, RocksDB) reading the fleet's records from the broker.
 * The fleet publishes round after round, every instance one capture per round, {@code interval}
 * of capture time apart and spread evenly within the round, the last round just before the start
 * of the run: so the captures span hours of 1-minute windows, and "the last hour" and "the whole
 * retention" select different amounts of state. Each instance replays one recorded process
 * (captures at most the profile set's shortest sequence: no restarts). A leaking service replays
 * the recorded heap leak on {@code leakingInstances} instances at the same capture times, so that
 * suspects and their series exist.
 *
 * <p>Then each endpoint is asked, one call at a time as one analyst would ({@link QueryCalls}).
 */
public final class QueryBench {

  /**
   * @param services services of the fleet
   * @param instances instances of the fleet, spread over its services round-robin
   * @param captures heap captures per instance, at most the profile set's shortest sequence
   * @param interval capture time between an instance's captures, at most detection's {@code maxGap}
   *     (10 min) so that every series is one generation
   * @param leakingInstances instances of the leaking service ({@code leak-000}), 0 for none
   * @param partitions partitions of the topics
   * @param processorHeap the processor JVM's {@code -Xmx}
   * @param processorJavaOptions more JVM options of the processor (e.g. a JFR recording)
   * @param calls measured calls per endpoint, at most
   * @param warmupCalls unmeasured calls per endpoint before them
   * @param budget time per endpoint for its measured calls: no more are made once it is spent
   *     (at least one is)
   * @param maxBacklog records published but not yet processed, at most, while filling
   */
  public record Settings(int services, int instances, int captures, Duration interval, int leakingInstances,
      int partitions, String processorHeap, List<String> processorJavaOptions, int calls, int warmupCalls,
      Duration budget, int maxBacklog) {}

  /**
   * @param records profiles published and processed while filling
   * @param fill wall time of the fill, from the first publish to the last record processed
   * @param span capture time from the first to the last round
   * @param suspects open suspects when the queries started
   * @param processorHeap largest heap after a GC in the processor JVM so far, bytes
   * @param stateBytes the processor's state directory after the fill, bytes
   * @param calls one line per endpoint, in the order asked
   */
  public record Result(long records, Duration fill, Duration span, int suspects, long processorHeap,
      long stateBytes, List<Timing> calls) {}

  /**
   * One endpoint's measurement.
   *
   * @param name what was asked, for the table
   * @param path the path and query string asked
   * @param touched what the answer says the call read: windows, captures, instances, points
   * @param latencies one per measured call
   * @param bytes the answer's size (of the last call: answers to the same question are the same)
   */
  public record Timing(String name, String path, String touched, Latencies latencies, long bytes) {}

  /** The fleet's largest service: every query about one service asks about it. */
  public static final String SERVICE = "svc-000";
  /** The leaking service. */
  public static final String LEAK_SERVICE = "leak-000";

  private static final Duration FILL_LIMIT = Duration.ofMinutes(30);

  private QueryBench() {}

  /**
   * @param leak the recorded leak the leaking service replays
   * @param processorCommand the processor's main class and arguments, given its configuration file
   */
  public static Result run(BenchProfiles profiles, BenchProfiles leak, Settings s, Path workDir,
      Function<Path, List<String>> processorCommand) {
    return run(profiles, leak, s, workDir, processorCommand, line -> { });
  }

  /** The same, telling {@code progress} when the fill is done and as each endpoint is asked. */
  public static Result run(BenchProfiles profiles, BenchProfiles leak, Settings s, Path workDir,
      Function<Path, List<String>> processorCommand, Consumer<String> progress) {
    int shortest = Math.min(profiles.shortestSequence(), s.leakingInstances() > 0 ? leak.shortestSequence()
        : Integer.MAX_VALUE);
    if (s.captures() > shortest) {
      throw new IllegalArgumentException(s.captures() + " captures per instance, but the recorded processes have "
          + shortest + ": instances would restart");
    }
    Fleet fleet = new Fleet(profiles, "svc", s.services(), s.instances(), false);
    Fleet leakers = s.leakingInstances() == 0 ? null : new Fleet(leak, "leak", 1, s.leakingInstances(), false);
    long span = s.interval().toMillis() * (s.captures() - 1);
    long firstMs = System.currentTimeMillis() - span - s.interval().toMillis();
    // The rig waits for one processed record: an instance of its own, captured before the fleet's first round.
    Fleet probe = new Fleet(profiles, "probe", 1, 1, false);
    byte[][] first = {probe.key(0), probe.envelope(0, 0, firstMs - s.interval().toMillis())};
    try (PipelineRig rig = new PipelineRig(workDir, new PipelineRig.Settings(s.partitions(), 0, s.processorHeap(),
        s.processorJavaOptions(), Map.of()), processorCommand, first)) {
      long t0 = System.nanoTime();
      long records = fill(rig, fleet, leakers, s, firstMs);
      Duration fill = Duration.ofNanos(System.nanoTime() - t0);
      progress.accept(String.format(Locale.ROOT, "filled: %d records processed in %.0f s", records,
          fill.toMillis() / 1e3));
      QueryCalls calls = new QueryCalls(rig.httpPort(), s.calls(), s.warmupCalls(), s.budget(), progress);
      calls.awaitReady(Duration.ofMinutes(2));
      List<Timing> timings = QueryEndpoints.askAll(calls, fleet, s.captures(), firstMs, span);
      return new Result(records, fill, Duration.ofMillis(span), calls.openSuspects(), rig.processor()
          .maxHeapAfterGcBytes(), rig.stateBytes(), timings);
    }
  }

  /** Publishes every round, keeping the backlog bounded, and waits until all was processed. */
  private static long fill(PipelineRig rig, Fleet fleet, Fleet leakers, Settings s, long firstMs) {
    int leaking = leakers == null ? 0 : leakers.size();
    int perRound = fleet.size() + leaking;
    long records = 0;
    for (int c = 0; c < s.captures(); c++) {
      long roundMs = firstMs + c * s.interval().toMillis();
      for (int k = 0; k < perRound; k++) {
        // spread over half the interval: captures of one round stay well before the next round's
        long ms = roundMs + k * (s.interval().toMillis() / 2) / perRound;
        while (rig.publisher().sent() - rig.watcher().processed() >= s.maxBacklog()) {
          rig.check();
          Pace.pause(Duration.ofMillis(1));
        }
        if (k < fleet.size()) {
          rig.publisher().send(fleet.key(k), fleet.envelope(k, c, ms), System.nanoTime());
        } else {
          int j = k - fleet.size();
          rig.publisher().send(leakers.key(j), leakers.envelope(j, c, ms), System.nanoTime());
        }
        records++;
      }
    }
    new Load(rig, fleet, leakers, s.maxBacklog()).drainBacklog(FILL_LIMIT);
    if (rig.watcher().processed() < rig.publisher().sent()) {
      throw new IllegalStateException("only " + rig.watcher().processed() + " of " + rig.publisher().sent()
          + " records were processed within " + FILL_LIMIT);
    }
    return records;
  }
}
