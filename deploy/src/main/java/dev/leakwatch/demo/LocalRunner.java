package dev.leakwatch.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.leakwatch.agent.Agent;
import dev.leakwatch.agent.config.AgentConfig;
import dev.leakwatch.agent.config.AgentConfigLoader;
import dev.leakwatch.agent.config.Durations;
import dev.leakwatch.processor.ProcessorConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./leakwatch local --targets FILE}: like the demo, but an agent scrapes real Go services
 * listed in a targets file (the agent's discovery format, re-read when it changes) instead of a
 * replay. Runs until {@link #stop()} or the duration; prints each suspect as it is committed and a
 * summary per service at the end.
 */
public final class LocalRunner {

  /**
   * @param targets targets file: a YAML/JSON list of agent targets (see docs/INGEST.md)
   * @param scrapeInterval default scrape interval of the targets (a target's own {@code interval}
   *     wins)
   * @param duration how long the run may take, null for no limit
   * @param workBase directory for the run's scratch directory
   * @param processor processor configuration (bootstrap servers and state dir are replaced)
   * @param apiPort port of the query API (0: a free one)
   */
  public record Settings(Path targets, Duration scrapeInterval, Duration duration, Path workBase,
      ProcessorConfig processor, int apiPort) {}

  private static final Duration MAX_SCRAPE_TIMEOUT = Duration.ofSeconds(10);

  private final Settings settings;
  private final PrintWriter out;
  private final PrintWriter err;
  private final StopSignal stop = new StopSignal();

  public LocalRunner(Settings settings, PrintWriter out, PrintWriter err) {
    this.settings = settings;
    this.out = out;
    this.err = err;
  }

  public void stop() {
    stop.stop();
  }

  /**
   * Runs on this thread until stopped or the duration ends.
   *
   * @throws dev.leakwatch.agent.config.ConfigException when the targets file is malformed
   */
  public LocalSession.Ending run() {
    long start = System.nanoTime();
    out.println("Starting a local Kafka broker and the processor...");
    out.flush();
    try (LocalSession session = LocalSession.open(settings.workBase(), settings.processor(), settings.apiPort(),
        out, err)) {
      AgentConfig config = agentConfig(session.stack());
      LocalSession.Ending ending;
      try (Agent agent = Agent.start(config)) {
        out.printf(Locale.ROOT, "The agent scrapes the targets in %s (re-read when it changes); its targets at "
            + "http://127.0.0.1:%d/targets, its metrics at /metrics.%n", settings.targets(), agent.httpPort());
        out.println("Leak suspects are printed below as the processor finds them"
            + (settings.duration() == null ? " (Ctrl-C stops):" : ":"));
        out.flush();
        ending = session.await(stop, start, settings.duration(), () -> false);
      }
      if (ending == LocalSession.Ending.FAILED) {
        err.println("local: the broker or the processor stopped unexpectedly");
      }
      DemoSummary.print(out, List.of(), session.tally());
      return ending;
    }
  }

  /** The agent's configuration, written as the configuration file a user would write. */
  AgentConfig agentConfig(LocalStack stack) {
    ObjectNode root = new ObjectMapper().createObjectNode();
    root.putObject("agent").put("id", "leakwatch-local").put("shutdownGrace", "5s");
    root.putObject("http").put("host", "127.0.0.1").put("port", 0);
    Duration timeout = settings.scrapeInterval().compareTo(MAX_SCRAPE_TIMEOUT) < 0
        ? settings.scrapeInterval() : MAX_SCRAPE_TIMEOUT;
    root.putObject("scrape").put("interval", Durations.format(settings.scrapeInterval()))
        .put("timeout", Durations.format(timeout));
    ObjectNode kafka = root.putObject("kafka").put("topic", stack.processorConfig().topology().profilesTopic());
    kafka.put("partitions", stack.processorConfig().topics().partitions());
    kafka.putObject("client").put("bootstrap.servers", stack.bootstrapServers());
    ObjectNode discovery = root.putObject("discovery").put("refreshInterval", "5s");
    discovery.putArray("files").add(settings.targets().toAbsolutePath().toString());
    Path base = settings.targets().toAbsolutePath().getParent();
    return AgentConfigLoader.parse(root.toString(), base);
  }
}
