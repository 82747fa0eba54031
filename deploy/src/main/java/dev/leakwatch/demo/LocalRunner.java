package dev.leakwatch.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.leakwatch.agent.Agent;
import dev.leakwatch.agent.config.AgentConfig;
import dev.leakwatch.agent.config.AgentConfigLoader;
import dev.leakwatch.agent.config.ConfigException;
import dev.leakwatch.agent.config.ConfigNode;
import dev.leakwatch.agent.config.Durations;
import dev.leakwatch.agent.config.ScrapeSettings;
import dev.leakwatch.agent.config.TargetParser;
import dev.leakwatch.agent.model.Target;
import dev.leakwatch.processor.ProcessorConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./leakwatch local --targets FILE}: like the demo, but an agent scrapes real Go services
 * listed in a targets file (the agent's discovery format, re-read when it changes) instead of a
 * replay. Runs until {@link #stop()} or the duration; prints each suspect as it is committed and a
 * summary per service at the end, naming the targets that never delivered a profile. The targets
 * file is checked before anything starts.
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
   * @throws ConfigException when the targets file is malformed or lists no target (thrown before
   *     anything starts)
   */
  public LocalSession.Ending run() {
    checkTargets();
    long start = System.nanoTime();
    out.println("Starting a local Kafka broker and the processor...");
    out.flush();
    try (LocalSession session = LocalSession.open(settings.workBase(), settings.processor(), settings.apiPort(),
        stop, out, err)) {
      AgentConfig config = agentConfig(session.stack());
      LocalSession.Ending ending;
      List<String> silent;
      List<String> notAsked;
      List<String> scraped;
      try (Agent agent = Agent.start(config)) {
        out.printf(Locale.ROOT, "The agent scrapes the targets in %s (re-read when it changes); its targets at "
            + "http://127.0.0.1:%d/targets, its metrics at /metrics.%n", settings.targets(), agent.httpPort());
        out.println("Leak suspects are printed below as the processor finds them"
            + (settings.duration() == null ? " (Ctrl-C stops):" : ":"));
        out.flush();
        ending = session.await(stop, start, settings.duration(), () -> false);
        silent = ScrapeReport.neverScraped(agent.metrics().registry());
        notAsked = ScrapeReport.notAskedYet(agent.metrics().registry());
        scraped = ScrapeReport.services(agent.metrics().registry());
      }
      if (ending == LocalSession.Ending.FAILED) {
        err.println("local: the broker or the processor stopped unexpectedly");
      }
      DemoSummary.printScraped(out, scraped, session.tally());
      if (!silent.isEmpty()) {
        out.println("No profile was ever scraped from " + String.join(", ", silent)
            + " (the agent's warnings above say why; is /debug/pprof served at the URL?)");
        out.flush();
      }
      if (!notAsked.isEmpty()) {
        out.println("Not scraped yet when the run ended: " + String.join(", ", notAsked)
            + " (a target's first scrape comes at a random point of its interval)");
        out.flush();
      }
      return ending;
    }
  }

  /**
   * Parses the targets file as the agent will. A missing file passes here: it may be written after the
   * start (the agent then picks it up); {@code ./leakwatch local} refuses one before this, since a
   * mistyped path on the command line is the likelier cause.
   *
   * @throws ConfigException when the file cannot be read, is malformed, or lists no target
   */
  void checkTargets() {
    Path file = settings.targets();
    if (!Files.exists(file)) {
      return;
    }
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException("cannot read " + file + ": " + e.getMessage(), e);
    }
    ScrapeSettings scrape = agentConfig("127.0.0.1:9092", settings.processor()).scrape();
    List<Target> targets = new TargetParser(scrape).parseList(
        new ConfigNode(AgentConfigLoader.parseYaml(text, file.toString()), file.toString()));
    if (targets.isEmpty()) {
      throw new ConfigException("no targets in " + file);
    }
  }

  /** The agent's configuration for {@code stack}. */
  AgentConfig agentConfig(LocalStack stack) {
    return agentConfig(stack.bootstrapServers(), stack.processorConfig());
  }

  /** The agent's configuration, written as the configuration file a user would write. */
  private AgentConfig agentConfig(String bootstrapServers, ProcessorConfig processor) {
    ObjectNode root = new ObjectMapper().createObjectNode();
    root.putObject("agent").put("id", "leakwatch-local").put("shutdownGrace", "5s");
    root.putObject("http").put("host", "127.0.0.1").put("port", 0);
    // no timeout: the agent's default, 10 s or the interval if shorter
    root.putObject("scrape").put("interval", Durations.format(settings.scrapeInterval()));
    ObjectNode kafka = root.putObject("kafka").put("topic", processor.topology().profilesTopic());
    kafka.put("partitions", processor.topics().partitions());
    kafka.putObject("client").put("bootstrap.servers", bootstrapServers);
    ObjectNode discovery = root.putObject("discovery").put("refreshInterval", "5s");
    discovery.putArray("files").add(settings.targets().toAbsolutePath().toString());
    Path base = settings.targets().toAbsolutePath().getParent();
    return AgentConfigLoader.parse(root.toString(), base);
  }
}
