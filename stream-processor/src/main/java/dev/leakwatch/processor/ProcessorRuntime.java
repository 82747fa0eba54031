package dev.leakwatch.processor;

import dev.leakwatch.detect.DetectionPolicy;
import dev.leakwatch.http.ApiServer;
import dev.leakwatch.http.ProcessorMetrics;
import dev.leakwatch.query.Retry;
import dev.leakwatch.query.StoreLayout;
import dev.leakwatch.query.StreamsQueryApi;
import dev.leakwatch.topology.LeakwatchTopology;
import dev.leakwatch.topology.TopologyConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Leakwatch processor: a {@link KafkaStreams} instance running
 * {@link LeakwatchTopology}, and its query API (HTTP, see docs/API.md). Instances with the same
 * {@code application.id} share the input partitions; when one stops, the others take over its
 * tasks (restoring state from changelogs, or from standbys when {@code num.standby.replicas} > 0).
 *
 * <p>The HTTP server binds in the constructor (so that port 0 can be resolved and advertised as
 * {@code application.server}); until {@link #start()} its API answers 503 and {@code /readyz}
 * reports the Streams state.
 *
 * <p>An unexpected exception in a stream thread shuts this client down (it is a bug or a broken
 * environment, and retrying the same record would loop); {@link #awaitTermination} then returns
 * and the process should exit non-zero so that its supervisor restarts it.
 */
public final class ProcessorRuntime implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ProcessorRuntime.class);

  private final KafkaStreams streams;
  private final ProcessorMetrics metrics = new ProcessorMetrics();
  private final ApiServer api;
  private final String advertised;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final List<Consumer<KafkaStreams.State>> listeners =
      new CopyOnWriteArrayList<>();
  private volatile Throwable failure;
  private final TopologyConfig topology;
  /** Read again when a stream thread fails at a record Kafka refused for its size ({@link TopicRoom#refused}). */
  private final ProcessorConfig config;
  /** Re-reads the detection rules while running; null when {@code detection.reloadInterval} is off. */
  private final RulesWatch rules;

  /**
   * Builds the topology of {@code config} and binds its HTTP server; call {@link #start()} to run it.
   *
   * @throws IllegalStateException when the HTTP address cannot be bound, or the state directory holds
   *     windows stored under another {@code windows.retention} ({@link WindowSegments})
   * @throws UncheckedIOException when the state directory cannot be created (the message names it
   *     and says why)
   */
  public ProcessorRuntime(ProcessorConfig config) {
    this.topology = config.topology();
    this.config = config;
    metrics.rulesInForce(topology.detectionPolicy().digest());
    Properties props = new Properties();
    props.putAll(config.streams());
    try {
      createStateDir(props.getProperty(StreamsConfig.STATE_DIR_CONFIG));
      WindowSegments.check(Path.of(props.getProperty(StreamsConfig.STATE_DIR_CONFIG)),
          props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG), topology);
    } catch (RuntimeException e) {
      metrics.close(); // refused before anything else was made: the caller gets no runtime to close
      throw e;
    }
    this.api = new ApiServer(config.http(), metrics);
    try {
      this.advertised = HttpConfigReader.advertised(props, config.http(), api.start());
      props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, advertised);
      props.putAll(LeakwatchTopology.streamsSettings(config.topology(), metrics));
      Topology topology = LeakwatchTopology.topology(config.topology(), metrics);
      metrics.expectProcessingFailures(stages(topology));
      this.streams = new KafkaStreams(topology, props);
      attachQueries(config);
      this.rules = config.rules().watched()
          ? new RulesWatch(config.rules(), config.topology().livePolicy(), metrics) : null;
    } catch (RuntimeException e) {
      api.close();
      metrics.close();
      throw e;
    }
    streams.setUncaughtExceptionHandler(e -> {
      failure = e;
      LOG.error("stream thread failed; shutting this processor down", e);
      TopicRoom.refused(this.config, e, Duration.ofSeconds(10)).ifPresent(LOG::error);
      return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    });
    streams.setStateListener((now, before) -> {
      LOG.info("processor state {} -> {}", before, now);
      listeners.forEach(l -> l.accept(now));
      if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
        stopped.countDown();
      }
    });
  }

  /** The names of the topology's processing stages (its processor nodes, not sources or sinks). */
  private static List<String> stages(Topology topology) {
    return topology.describe().subtopologies().stream().flatMap(s -> s.nodes().stream())
        .filter(n -> n instanceof TopologyDescription.Processor).map(TopologyDescription.Node::name).sorted().toList();
  }

  private void attachQueries(ProcessorConfig config) {
    TopologyConfig t = config.topology();
    StreamsQueryApi queries = new StreamsQueryApi(streams, HostInfo.buildFromEndpoint(advertised),
        api.peerClient(advertised),
        new StoreLayout(config.streams().getProperty(StreamsConfig.APPLICATION_ID_CONFIG), t.profilesTopic()),
        t.windowSize().toMillis(), HttpConfigReader.maxRange(config.http(), t.windowRetention()).toMillis(),
        Retry.DEFAULT, System::currentTimeMillis, t.livePolicy());
    metrics.bind(streams, queries::openSuspectsHere);
    RestoreProgress restores = new RestoreProgress(System::currentTimeMillis);
    streams.setGlobalStateRestoreListener(restores);
    metrics.bindRestores(restores::remaining, restores::restored);
    onStateChange(state -> {
      if (state == KafkaStreams.State.RUNNING) {
        // off the stream thread that reports the change: reading the metadata takes Streams' locks
        CompletableFuture.runAsync(queries::learnPartitionCounts).exceptionally(e -> {
          // only the 400 for partitions that do not exist waits for the next RUNNING
          LOG.warn("could not note the stores' partition counts: {}", e.toString());
          return null;
        });
      }
    });
    api.attach(queries, advertised);
  }

  /** The HTTP port the query API listens on. */
  public int httpPort() {
    return api.port();
  }

  /** {@code host:port} other instances reach this one's API at ({@code application.server}). */
  public String advertisedServer() {
    return advertised;
  }

  /** Also tells {@code listener} of every state change (register before {@link #start()}). */
  public void onStateChange(Consumer<KafkaStreams.State> listener) {
    listeners.add(listener);
  }

  /**
   * Starts processing, and re-reading the detection rules every {@code detection.reloadInterval}.
   *
   * @throws RuntimeException when Streams cannot start (a store of the state directory that does not
   *     open: {@code ProcessorStateException} naming it); everything this runtime started is closed
   *     first (the HTTP server, the clients and their threads), so the caller needs only report it
   */
  public void start() {
    DetectionPolicy policy = topology.detectionPolicy();
    LOG.info("detection rules: digest {}", policy.digest());
    RulesWatch.logRules(policy);
    try {
      streams.start();
      if (rules != null) {
        rules.start();
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  /** The underlying client, for interactive queries and metrics. */
  public KafkaStreams streams() {
    return streams;
  }

  /** Blocks until the client stopped (closed or failed); returns the failure, or null. */
  public Throwable awaitTermination() throws InterruptedException {
    stopped.await();
    return failure;
  }

  /** Stops processing, commits, and leaves the group so other instances take over at once. */
  @Override
  public void close() {
    try {
      if (rules != null) {
        rules.close();
      }
      streams.close(CloseOptions.timeout(Duration.ofSeconds(30))
          .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    } finally {
      api.close();
      metrics.close();
      stopped.countDown();
    }
  }

  private static String reason(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied (" + e.getMessage() + ")";
    }
    if (e instanceof FileAlreadyExistsException) {
      return e.getMessage() + " exists and is not a directory";
    }
    return e instanceof FileSystemException f && f.getReason() != null ? f.getReason() + " (" + f.getFile() + ")"
        : e.toString();
  }

  private static void createStateDir(String dir) {
    try {
      Files.createDirectories(Path.of(dir));
    } catch (IOException e) {
      // the reason (a file in the way, no permission) is the point of the message: the caller prints it alone
      throw new UncheckedIOException("cannot create the state directory " + dir + ": " + reason(e), e);
    }
  }
}
