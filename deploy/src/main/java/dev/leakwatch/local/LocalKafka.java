package dev.leakwatch.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft Kafka broker for local use, run as a child JVM from the project's own Maven
 * dependencies: {@code kafka.tools.StorageTool format --standalone} on first use, then {@code
 * kafka.Kafka server.properties}.
 *
 * <p>Layout of the data directory: {@code server.properties} (rewritten on each start), {@code
 * data/} (the log directory, kept across restarts), {@code broker.log} (the broker's output, of
 * the current run), {@code format.log}. {@link #start} returns once the broker answers a client;
 * {@link #close} stops it with SIGTERM (a clean shutdown, ~1 s) and kills it if it hangs. If this
 * JVM dies, the broker notices its closed stdin and exits too (see {@link ParentWatch}).
 */
public final class LocalKafka implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalKafka.class);
  private static final String STATE_FILE = "leakwatch-local.properties";
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final List<String> JVM_ARGS = List.of("-Xms128m", "-Xmx768m");

  private final LocalKafkaSettings settings;
  private final Process process;

  private LocalKafka(LocalKafkaSettings settings, Process process) {
    this.settings = settings;
    this.process = process;
  }

  /**
   * Formats the data directory if needed, starts the broker and waits until it serves clients.
   *
   * @throws LocalKafkaException with the reason (port in use, format failure, broker exit,
   *     timeout) and the tail of the broker's log
   */
  public static LocalKafka start(LocalKafkaSettings s) {
    Path dir = s.dataDir().toAbsolutePath();
    try {
      Files.createDirectories(dir);
      Path props = dir.resolve("server.properties");
      Files.writeString(props, BrokerProperties.render(BrokerProperties.of(s)));
      requireFree(s.host(), s.port(), "client port");
      requireFree(s.host(), s.controllerPort(), "controller port");
      formatIfNeeded(s, dir, props);
      Path log = dir.resolve("broker.log");
      Process p =
          new ProcessBuilder(
                  ChildJvm.command(
                      JVM_ARGS, ParentWatch.class.getName(), List.of("kafka.Kafka", props.toString())))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      LocalKafka kafka = new LocalKafka(s, p);
      kafka.awaitReady(log);
      LOG.info("local Kafka ready at {} (data: {}, pid {})", s.bootstrapServers(), dir, p.pid());
      return kafka;
    } catch (IOException e) {
      throw new LocalKafkaException("cannot start the local broker in " + dir + ": " + e, e);
    }
  }

  /** {@code host:port} for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return settings.bootstrapServers();
  }

  public LocalKafkaSettings settings() {
    return settings;
  }

  public boolean isRunning() {
    return process.isAlive();
  }

  /** Blocks until the broker process exits; returns its exit code. */
  public int waitFor() throws InterruptedException {
    return process.waitFor();
  }

  /** Stops the broker cleanly (SIGTERM), forcibly if it has not exited after 30 s. Idempotent. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    if (!ChildJvm.stop(process, STOP_TIMEOUT)) {
      LOG.warn("local Kafka did not stop within {} s; killed it", STOP_TIMEOUT.toSeconds());
    }
  }

  private void awaitReady(Path log) {
    long deadline = System.nanoTime() + settings.startTimeout().toNanos();
    Map<String, Object> cfg =
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers(),
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2_000,
            AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
    // Wait for the port first: a client pointed at a closed port logs a warning per attempt.
    while (!accepts(settings.host(), settings.port())) {
      checkStarting(log, deadline);
      sleep(POLL);
    }
    try (Admin admin = Admin.create(cfg)) {
      while (true) {
        checkStarting(log, deadline);
        try {
          admin.describeCluster().nodes().get(2, TimeUnit.SECONDS);
          return;
        } catch (ExecutionException | TimeoutException notYet) {
          sleep(POLL);
        } catch (InterruptedException e) {
          close();
          Thread.currentThread().interrupt();
          throw new LocalKafkaException("interrupted while waiting for the broker to start");
        }
      }
    }
  }

  /** Fails if the broker died or the start timeout has passed. */
  private void checkStarting(Path log, long deadline) {
    if (!process.isAlive()) {
      throw new LocalKafkaException(
          "the broker exited with code " + process.exitValue() + " during startup; " + tail(log));
    }
    if (System.nanoTime() > deadline) {
      close();
      throw new LocalKafkaException(
          "the broker did not answer at " + settings.bootstrapServers() + " within "
              + settings.startTimeout().toSeconds() + " s; " + tail(log));
    }
  }

  private static boolean accepts(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      close();
      Thread.currentThread().interrupt();
      throw new LocalKafkaException("interrupted while waiting for the broker to start");
    }
  }

  private static void formatIfNeeded(LocalKafkaSettings s, Path dir, Path props) throws IOException {
    Path state = dir.resolve(STATE_FILE);
    if (Files.exists(dir.resolve("data").resolve("meta.properties"))) {
      Properties recorded = new Properties();
      if (Files.exists(state)) {
        try (var in = Files.newInputStream(state)) {
          recorded.load(in);
        }
      }
      String was = recorded.getProperty("controller.port");
      if (was != null && !was.equals(Integer.toString(s.controllerPort()))) {
        throw new LocalKafkaException(
            dir + " was formatted with controller port " + was + ", not " + s.controllerPort()
                + "; use that port or delete the directory");
      }
      return;
    }
    Path log = dir.resolve("format.log");
    List<String> cmd =
        ChildJvm.command(
            JVM_ARGS, "kafka.tools.StorageTool",
            List.of("format", "-t", Uuid.randomUuid().toString(), "-c", props.toString(), "--standalone"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      if (!p.waitFor(2, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new LocalKafkaException("formatting " + dir + " did not finish in 2 minutes");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new LocalKafkaException("interrupted while formatting " + dir, e);
    }
    if (p.exitValue() != 0) {
      throw new LocalKafkaException("formatting " + dir + " failed; " + tail(log));
    }
    Properties recorded = new Properties();
    recorded.setProperty("controller.port", Integer.toString(s.controllerPort()));
    try (var out = Files.newOutputStream(state)) {
      recorded.store(out, "Leakwatch local Kafka: settings fixed when the directory was formatted");
    }
  }

  private static void requireFree(String host, int port, String what) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
    } catch (IOException e) {
      throw new PortUnavailableException(
          what + " " + host + ":" + port + " is not available (" + e.getMessage()
              + "); is another broker running? Choose other ports");
    }
  }

  /** The last lines of {@code log}, for error messages. */
  static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      int from = Math.max(0, lines.size() - 15);
      return "last lines of " + log + ":\n  " + String.join("\n  ", lines.subList(from, lines.size()));
    } catch (IOException e) {
      return "no log at " + log + " (" + e.getMessage() + ")";
    }
  }
}
