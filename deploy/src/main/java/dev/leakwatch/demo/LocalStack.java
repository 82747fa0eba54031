package dev.leakwatch.demo;

import dev.leakwatch.local.LocalKafka;
import dev.leakwatch.local.LocalKafkaSettings;
import dev.leakwatch.local.PortUnavailableException;
import dev.leakwatch.local.Ports;
import dev.leakwatch.processor.ProcessorConfig;
import dev.leakwatch.processor.ProcessorRuntime;
import dev.leakwatch.processor.TopicBootstrap;
import dev.leakwatch.topology.TopologyNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Everything {@code demo} and {@code local} run on one machine: a single-node broker (child JVM,
 * on free ports, data in the run directory) and one processor instance with its query API (state
 * in the run directory). {@link #close()} stops them in reverse order.
 */
public final class LocalStack implements AutoCloseable {

  private static final Duration BROKER_START_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration PROCESSOR_START_TIMEOUT = Duration.ofSeconds(60);
  /**
   * One partition for the broker's own offsets and transaction topics instead of 50 each: a
   * single local processor needs no more, and creating them is most of its first rebalance.
   */
  private static final Map<String, String> SMALL_INTERNAL_TOPICS = Map.of(
      "offsets.topic.num.partitions", "1", "transaction.state.log.num.partitions", "1");

  /**
   * @param workDir where the broker's data and the processor's state go (the caller deletes it)
   * @param processor the processor configuration; its bootstrap servers and state dir are
   *     replaced by the stack's own
   * @param apiPort port of the query API (0: a free one)
   */
  public record Settings(Path workDir, ProcessorConfig processor, int apiPort) {}

  private final LocalKafka kafka;
  private final ProcessorConfig config;
  private final ProcessorRuntime processor;

  private LocalStack(LocalKafka kafka, ProcessorConfig config, ProcessorRuntime processor) {
    this.kafka = kafka;
    this.config = config;
    this.processor = processor;
  }

  /**
   * Starts the broker, creates the processor's topics and starts the processor; returns once the
   * processor is RUNNING.
   *
   * @throws PortUnavailableException when the API's address cannot be bound (checked before the
   *     broker starts, and again when the processor binds it)
   * @throws dev.leakwatch.local.LocalKafkaException when the broker does not start (with its log)
   * @throws IllegalArgumentException when Kafka Streams refuses a {@code streams.*} setting
   * @throws IllegalStateException when the processor does not reach RUNNING
   */
  public static LocalStack start(Settings s) {
    requireFree(s.processor().http().host(), s.apiPort());
    LocalKafka kafka = LocalKafka.start(new LocalKafkaSettings(s.workDir().resolve("kafka"), "127.0.0.1",
        freePort(), freePort(), BROKER_START_TIMEOUT, SMALL_INTERNAL_TOPICS));
    try {
      ProcessorConfig given = s.processor();
      ProcessorConfig cfg = given.withHttp(given.http().withPort(s.apiPort()));
      cfg.streams().put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
      cfg.streams().put(StreamsConfig.STATE_DIR_CONFIG, s.workDir().resolve("state").toString());
      ProcessorRuntime processor;
      try {
        TopicBootstrap.ensureTopics(cfg);
      } catch (KafkaException e) {
        throw refused(e);
      }
      try {
        processor = new ProcessorRuntime(cfg); // binds the API: fails here if the port was taken meanwhile
      } catch (IllegalStateException e) {
        throw new PortUnavailableException(e.getMessage() + "; " + OTHER_PORT);
      } catch (KafkaException e) {
        throw refused(e);
      }
      awaitRunning(processor);
      return new LocalStack(kafka, cfg, processor);
    } catch (RuntimeException e) {
      kafka.close();
      throw e;
    }
  }

  /** Kafka refuses a {@code streams.*} setting of the configuration: bad input, as for {@code processor}. */
  private static IllegalArgumentException refused(KafkaException e) {
    return new IllegalArgumentException(e.getMessage(), e);
  }

  private static void awaitRunning(ProcessorRuntime processor) {
    CountDownLatch settled = new CountDownLatch(1);
    AtomicReference<KafkaStreams.State> last = new AtomicReference<>();
    processor.onStateChange(state -> {
      last.set(state);
      if (state == KafkaStreams.State.RUNNING || !state.isRunningOrRebalancing()) {
        settled.countDown();
      }
    });
    processor.start();
    try {
      if (!settled.await(PROCESSOR_START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
          || last.get() != KafkaStreams.State.RUNNING) {
        processor.close();
        throw new IllegalStateException("the processor did not reach RUNNING within "
            + PROCESSOR_START_TIMEOUT.toSeconds() + " s (state " + processor.state() + ")");
      }
    } catch (InterruptedException e) {
      processor.close();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the processor", e);
    }
  }

  public String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  /** Client properties for anything else talking to this broker. */
  public Map<String, Object> clientConfig() {
    return Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
  }

  /** The processor's configuration, as running (bootstrap servers and state dir replaced). */
  public ProcessorConfig processorConfig() {
    return config;
  }

  public ProcessorRuntime processor() {
    return processor;
  }

  /** Base URL of the processor's query API, e.g. {@code http://127.0.0.1:8080}. */
  public String apiBase() {
    String host = config.http().wildcardHost() ? "127.0.0.1" : config.http().host();
    return "http://" + host + ":" + processor.httpPort();
  }

  /** The topics the processor consumes: its input and its repartition topic. */
  public List<String> processorInputs() {
    return List.of(config.topology().profilesTopic(),
        applicationId() + "-" + TopologyNames.REPORTS_BY_SERVICE + "-repartition");
  }

  public String applicationId() {
    return config.streams().getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
  }

  /** True while the broker process and the processor are alive. */
  public boolean healthy() {
    return kafka.isRunning() && processor.state().isRunningOrRebalancing();
  }

  @Override
  public void close() {
    try {
      processor.close();
    } finally {
      kafka.close();
    }
  }

  private static final String OTHER_PORT = "pass --api-port 0 for a free port, or another port";

  private static void requireFree(String host, int port) {
    Ports.bindProblem(host, port).ifPresent(why -> {
      throw new PortUnavailableException("cannot serve the query API on " + host + ":" + port + " ("
          + why + "); " + OTHER_PORT);
    });
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port", e);
    }
  }
}
