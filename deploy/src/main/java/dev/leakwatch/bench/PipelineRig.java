package dev.leakwatch.bench;

import dev.leakwatch.local.LocalKafka;
import dev.leakwatch.local.LocalKafkaSettings;
import dev.leakwatch.processor.ProcessorConfig;
import dev.leakwatch.processor.TopicBootstrap;
import dev.leakwatch.topology.TopologyConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The whole pipeline on this machine: the local KRaft broker ({@link LocalKafka}, a child JVM), the
 * stream processor ({@link ProcessorChild}, a child JVM with the production configuration:
 * exactly_once_v2, 100 ms commit interval, bounded RocksDB), a {@link Publisher} in the agent's
 * place and a {@link Watcher} on the outputs. Everything lives in one scratch directory, deleted on
 * {@link #close()}.
 */
final class PipelineRig implements AutoCloseable {

  /**
   * How the rig is set up; {@code processorJavaOptions} are extra JVM options of the processor,
   * {@code streamsProperties} extra Kafka Streams properties of its configuration file.
   */
  record Settings(int partitions, int streamThreads, String processorHeap, List<String> processorJavaOptions,
      Map<String, String> streamsProperties) {}

  private final Path dir;
  private final LocalKafka broker;
  private final ProcessorChild processor;
  private final Publisher publisher;
  private final Watcher watcher;
  private final TopologyConfig topology;
  private final int httpPort = freePort();
  private final LatencyTracker audit = new LatencyTracker();
  private final LatencyTracker suspects = new LatencyTracker();

  /**
   * Starts everything; returns once the processor has processed a first profile.
   *
   * @param processorCommand the processor's main class and arguments for a configuration file
   * @param probe key and value of a record to publish to find out when the processor is running
   */
  PipelineRig(Path workDir, Settings s, Function<Path, List<String>> processorCommand, byte[][] probe) {
    this.dir = BenchFiles.scratch(workDir, "pipeline-");
    LocalKafka kafka = null;
    ProcessorChild child = null;
    Publisher pub = null;
    Watcher watch = null;
    try {
      kafka = LocalKafka.start(new LocalKafkaSettings(dir.resolve("kafka"), "127.0.0.1", freePort(), freePort(),
          Duration.ofSeconds(120), Map.of()));
      Path config = writeConfig(kafka.bootstrapServers(), s);
      ProcessorConfig cfg = ProcessorConfig.load(config);
      this.topology = cfg.topology();
      TopicBootstrap.ensureTopics(cfg);
      watch = new Watcher(kafka.bootstrapServers(), topology.auditTopic(), topology.suspectsTopic(),
          s.partitions(), audit, suspects);
      pub = new Publisher(kafka.bootstrapServers(), topology.profilesTopic(), audit);
      child = ProcessorChild.start(dir, s.processorHeap(), s.processorJavaOptions(),
          processorCommand.apply(config));
      pub.send(probe[0], probe[1], System.nanoTime());
      long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
      while (watch.processed() == 0) {
        child.check();
        watch.check();
        pub.check();
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the processor did not process a first profile within 3 minutes");
        }
        Pace.pause(Duration.ofMillis(50));
      }
    } catch (RuntimeException e) {
      closeQuietly(watch, pub, child, kafka);
      BenchFiles.deleteTree(dir);
      throw e;
    }
    this.broker = kafka;
    this.processor = child;
    this.publisher = pub;
    this.watcher = watch;
  }

  Publisher publisher() {
    return publisher;
  }

  Watcher watcher() {
    return watcher;
  }

  ProcessorChild processor() {
    return processor;
  }

  /** Input-to-audit latency (the profile was processed and its transaction committed). */
  LatencyTracker audit() {
    return audit;
  }

  /** Input-to-suspect-event latency, keyed by {@link Watcher#suspectKey}. */
  LatencyTracker suspects() {
    return suspects;
  }

  /** The processor's HTTP API port on 127.0.0.1 (the production server; no tokens). */
  int httpPort() {
    return httpPort;
  }

  /** Fails fast when a part died or a send failed. */
  void check() {
    processor.check();
    watcher.check();
    publisher.check();
    if (!broker.isRunning()) {
      throw new IllegalStateException("the broker exited; see " + dir.resolve("kafka").resolve("broker.log"));
    }
  }

  /** CPU time of the broker so far, ns (every child process but the processor). */
  long brokerCpuNanos() {
    return ProcessStats.childrenCpuNanos() - processor.cpuNanos();
  }

  /** Peak resident set size of the broker, bytes. */
  long brokerPeakRssBytes() {
    return ProcessHandle.current().children().filter(p -> p.pid() != processor.pid())
        .mapToLong(p -> ProcessStats.peakRssBytes(p.pid())).max().orElse(-1);
  }

  /** Bytes of the processor's RocksDB stores and checkpoints. */
  long stateBytes() {
    return ProcessStats.directoryBytes(dir.resolve("state"));
  }

  private Path writeConfig(String bootstrap, Settings s) {
    Path config = dir.resolve("processor.yaml");
    String yaml = "applicationId: leakwatch-bench\n"
        + "bootstrapServers: " + bootstrap + "\n"
        + "stateDir: " + dir.resolve("state") + "\n"
        + "streamThreads: " + s.streamThreads() + "\n"
        + "topics:\n  partitions: " + s.partitions() + "\n"
        // a free port keeps the rig off 8080, which a demo may hold
        + "http:\n  host: 127.0.0.1\n  port: " + httpPort + "\n"
        + "streams:" + (s.streamsProperties().isEmpty() ? " {}" : "") + "\n";
    for (Map.Entry<String, String> p : s.streamsProperties().entrySet()) {
      yaml += "  " + yamlString(p.getKey()) + ": " + yamlString(p.getValue()) + "\n";
    }
    try {
      Files.writeString(config, yaml);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + config, e);
    }
    return config;
  }

  /** A YAML double-quoted scalar (JSON string escaping is valid YAML). */
  private static String yamlString(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port", e);
    }
  }

  @Override
  public void close() {
    closeQuietly(watcher, publisher, processor, broker);
    BenchFiles.deleteTree(dir);
  }

  private static void closeQuietly(AutoCloseable... parts) {
    for (AutoCloseable c : parts) {
      if (c == null) {
        continue;
      }
      try {
        c.close();
      } catch (Exception e) {
        // shutting down a benchmark: the next part still has to stop
      }
    }
  }
}
