package dev.leakwatch.processor;

import dev.leakwatch.topology.LeakwatchTopology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Leakwatch processor: a {@link KafkaStreams} instance running
 * {@link LeakwatchTopology}. Instances with the same {@code application.id} share the input
 * partitions; when one stops, the others take over its tasks (restoring state from changelogs,
 * or from standbys when {@code num.standby.replicas} > 0).
 *
 * <p>An unexpected exception in a stream thread shuts this client down (it is a bug or a broken
 * environment, and retrying the same record would loop); {@link #awaitTermination} then returns
 * and the process should exit non-zero so that its supervisor restarts it.
 */
public final class ProcessorRuntime implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ProcessorRuntime.class);

  private final KafkaStreams streams;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final List<Consumer<KafkaStreams.State>> listeners =
      new CopyOnWriteArrayList<>();
  private volatile Throwable failure;

  /** Builds the topology of {@code config}; call {@link #start()} to run it. */
  public ProcessorRuntime(ProcessorConfig config) {
    Properties props = new Properties();
    props.putAll(config.streams());
    createStateDir(props.getProperty(StreamsConfig.STATE_DIR_CONFIG));
    this.streams = new KafkaStreams(LeakwatchTopology.topology(config.topology()), props);
    streams.setUncaughtExceptionHandler(e -> {
      failure = e;
      LOG.error("stream thread failed; shutting this processor down", e);
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

  /** Also tells {@code listener} of every state change (register before {@link #start()}). */
  public void onStateChange(Consumer<KafkaStreams.State> listener) {
    listeners.add(listener);
  }

  public void start() {
    streams.start();
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
    streams.close(CloseOptions.timeout(Duration.ofSeconds(30))
        .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    stopped.countDown();
  }

  private static void createStateDir(String dir) {
    try {
      Files.createDirectories(Path.of(dir));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create state.dir " + dir, e);
    }
  }
}
