package dev.leakwatch.cli;

import dev.leakwatch.bench.EndToEndBench;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The end-to-end benchmark's options (fleet, processor, phases), shared with {@code bench scaling}. */
public final class PipelineOptions {

  @Option(names = "--instances", defaultValue = "600",
      description = "fleet size; small enough for every instance to publish several captures (default: ${DEFAULT-VALUE})")
  int instances;

  @Option(names = "--services", defaultValue = "30", description = "services of the fleet (default: ${DEFAULT-VALUE})")
  int services;

  @Option(names = "--leaking-services", defaultValue = "20",
      description = "services replaying a recorded heap leak in the half-load phase (default: ${DEFAULT-VALUE})")
  int leakingServices;

  @Mixin RigOptions rig;

  @Option(names = "--stream-threads", defaultValue = "0",
      description = "the processor's stream threads; 0: one per core, as deploy/processor.yaml (default: ${DEFAULT-VALUE})")
  int streamThreads;

  @Option(names = "--streams-property", paramLabel = "KEY=VALUE",
      description = "a Kafka Streams property added to the processor's configuration (streams:), repeatable,"
          + " e.g. producer.max.request.size=18874368")
  Map<String, String> streamsProperties = Map.of();

  @Option(names = "--warmup-seconds", defaultValue = "60",
      description = "full-speed warm-up, at least: the JIT needs it (default: ${DEFAULT-VALUE})")
  long warmupSeconds;

  @Option(names = "--warmup-rounds", defaultValue = "3",
      description = "full-speed warm-up also until each instance published this many captures (default: ${DEFAULT-VALUE})")
  int warmupRounds;

  @Option(names = "--sustained-seconds", defaultValue = "60",
      description = "full-speed measurement (default: ${DEFAULT-VALUE})")
  long sustainedSeconds;

  @Option(names = "--half-load-seconds", defaultValue = "90",
      description = "half-load latency measurement, at least 45 for leak detection (default: ${DEFAULT-VALUE})")
  long halfLoadSeconds;

  @Option(names = "--max-backlog", defaultValue = "500",
      description = "records published but not yet processed, at most, at full speed (default: ${DEFAULT-VALUE})")
  int maxBacklog;

  EndToEndBench.Settings settings() {
    return settings(1);
  }

  /** The settings with the fleet (instances and services) divided by {@code divisor}. */
  EndToEndBench.Settings settings(int divisor) {
    return new EndToEndBench.Settings(Math.max(20, instances / divisor), Math.max(2, services / divisor),
        leakingServices, rig.partitions, streamThreads, rig.processorHeap, rig.processorJavaOptions, streamsProperties,
        Duration.ofSeconds(warmupSeconds), warmupRounds, Duration.ofSeconds(sustainedSeconds),
        Duration.ofSeconds(halfLoadSeconds), maxBacklog);
  }
}
