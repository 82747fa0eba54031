package dev.leakwatch.cli;

import dev.leakwatch.agent.Agent;
import dev.leakwatch.agent.AgentCheck;
import dev.leakwatch.agent.config.AgentConfig;
import dev.leakwatch.agent.config.AgentConfigLoader;
import dev.leakwatch.agent.config.ConfigException;
import dev.leakwatch.agent.config.HttpSettings;
import dev.leakwatch.agent.model.Shard;
import dev.leakwatch.local.Ports;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code leakwatch agent --config agent.yaml}: scrape Go services and publish their profiles. */
@Command(
    name = "agent",
    mixinStandardHelpOptions = true,
    description = {
      "Scrape Go services' net/http/pprof endpoints (heap, goroutine, allocs, goroutineleak where"
          + " served) and publish one ProfileEnvelope per profile to Kafka.",
      "Also serves /metrics, /targets, /healthz and, unless disabled, POST /ingest on its HTTP port.",
      "Stops on Ctrl-C, giving buffered profiles agent.shutdownGrace to reach Kafka."
    })
public final class AgentCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin AgentOptions options;

  @Option(names = "--shard", paramLabel = "INDEX/COUNT",
      description = "Override scrape.shard: scrape only share INDEX (from 0) of COUNT agents reading the same"
          + " targets, e.g. 0/3 (docs/INGEST.md).")
  String shard;

  @Override
  public Integer call() {
    if (shard == null) {
      return run(spec, options, UnaryOperator.identity(), "agent");
    }
    Shard s;
    try {
      s = Shard.parse(shard);
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("leakwatch agent: --shard " + e.getMessage());
      return 2;
    }
    return run(spec, options, cfg -> cfg.withShard(s), "agent");
  }

  /**
   * Loads the configuration, applies {@code adapt} and the CLI overrides, validates the result
   * and runs an agent until the JVM is asked to stop; with {@code --check}, prints what would run
   * ({@link AgentCheck}) and returns 0 instead. Configuration errors exit with 2 and the precise
   * message.
   */
  static int run(
      CommandSpec spec, AgentOptions options, UnaryOperator<AgentConfig> adapt, String what) {
    PrintWriter err = spec.commandLine().getErr();
    Optional<String> unreadable = ConfigFiles.unreadable(options.config);
    if (unreadable.isPresent()) {
      err.println("leakwatch " + what + ": " + unreadable.get());
      return 2;
    }
    if (options.check) {
      // the check reports what the Kafka client refuses as one line of its own: the client's log of
      // it (an ERROR with a stack trace for a missing keystore) would only repeat it
      ProcessorLogging.kafkaAt("off");
    }
    AgentConfig cfg;
    Agent agent;
    List<String> warnings = new ArrayList<>(); // --check prints them; a start logs them
    try {
      cfg = adapt.apply(options.check
          ? AgentConfigLoader.load(options.config, warnings::add)
          : AgentConfigLoader.load(options.config));
      if (options.httpHost != null || options.httpPort != null) {
        HttpSettings h = cfg.http();
        cfg =
            cfg.withHttp(
                h.withAddress(
                    options.httpHost != null ? options.httpHost : h.host(),
                    options.httpPort != null ? options.httpPort : h.port()));
      }
      if (options.check) {
        List<String> summary = AgentCheck.summary(cfg);
        PrintWriter out = spec.commandLine().getOut();
        out.println("leakwatch " + what + ": " + options.config + " is valid");
        summary.forEach(line -> out.println("  " + line));
        warnings.forEach(w -> out.println("  warning: " + w));
        out.flush();
        return 0;
      }
      // a port that is taken would otherwise fail only once the agent has started its other parts,
      // as a web server's stack trace
      Optional<String> taken = Ports.bindProblem(cfg.http().host(), cfg.http().port());
      if (taken.isPresent()) {
        err.println("leakwatch " + what + ": cannot serve HTTP on " + cfg.http().host() + ":" + cfg.http().port()
            + " (" + taken.get() + "); " + (cfg.http().port() == 0
                ? "set http.host in " + options.config + " or pass --http-host (an address of this machine)"
                : "set http.port in " + options.config + " or pass --http-port (0 for a free port)"));
        return 2;
      }
      // the agent validates what it runs (adapt may have switched push on: gateway) before it
      // starts anything; other errors show only on start (a malformed discovery file, a setting
      // the Kafka client rejects), and then it stops what it started before throwing
      agent = Agent.start(cfg);
    } catch (ConfigException e) {
      err.println("leakwatch " + what + ": " + options.config + ": " + e.getMessage());
      return 2;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  agent.close();
                  stopped.countDown();
                },
                "leakwatch-" + what + "-shutdown"));
    spec.commandLine()
        .getOut()
        .printf(
            "leakwatch %s %s running on http://%s:%d (Ctrl-C to stop)%n",
            what, cfg.agentId(), cfg.http().host(), agent.httpPort());
    spec.commandLine().getOut().flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}
