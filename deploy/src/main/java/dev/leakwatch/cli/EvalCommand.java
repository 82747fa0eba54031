package dev.leakwatch.cli;

import dev.leakwatch.detect.DetectionPolicy;
import dev.leakwatch.processor.ConfigError;
import dev.leakwatch.processor.ProcessorConfig;
import dev.leakwatch.topology.TopologyConfig;
import dev.leakwatch.topology.eval.EvalReport;
import dev.leakwatch.topology.eval.Evaluation;
import dev.leakwatch.topology.eval.ScenarioScore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./leakwatch eval --corpus DIR [--json FILE]}: replays a labelled corpus through the
 * production topology (in Kafka Streams' TopologyTestDriver: same processors, stores and serdes,
 * deterministic, no broker) and scores it. The last line printed is the summary
 * {@code eval: scenarios=N leaks=L detected=D site_correct=S false_positives=F median_delay_s=X}.
 * Exit code 0 after a completed evaluation (whatever the scores), 2 for bad input.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
    description = "Replay a labelled profile corpus through the topology and score the leak suspects.")
public final class EvalCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--corpus", required = true, paramLabel = "DIR",
      description = "corpus root: <ID>_<service>/manifest.json + <instance>/<seq>-<type>.pb.gz")
  Path corpus;

  @Option(names = "--json", paramLabel = "FILE", description = "also write scores and every suspect event as JSON")
  Path json;

  @Option(names = "--config", paramLabel = "FILE",
      description = "processor.yaml whose detection/windows/limits settings to evaluate (default: built-in defaults)")
  Path config;

  @Override
  public Integer call() throws IOException {
    // The replay opens a TopologyTestDriver per scenario; even Kafka's warnings about that are noise.
    ProcessorLogging.kafkaAt("error");
    if (!Files.isDirectory(corpus)) {
      err().println("eval: corpus directory not found: " + corpus);
      return 2;
    }
    TopologyConfig topology;
    try {
      topology = config == null ? TopologyConfig.defaults() : ProcessorConfig.load(config).topology();
    } catch (ConfigError e) {
      err().println("eval: bad configuration " + config + ": " + e.getMessage());
      return 2;
    }
    Path state = Files.createTempDirectory("leakwatch-eval");
    EvalReport report;
    try {
      report = Evaluation.run(corpus, topology, state, s -> { });
    } catch (IllegalArgumentException e) {
      err().println("eval: " + e.getMessage());
      return 2;
    } finally {
      Files.deleteIfExists(state);
    }
    if (json != null) {
      report.writeJson(json);
    }
    noteRules(report, topology.detectionPolicy());
    report.print(System.out);
    return 0;
  }

  /**
   * Names, on stderr, the scenarios a {@code detection.services} rule judges, so that a leak left unjudged
   * is not read as a miss of detection (stdout keeps the table and its summary line last).
   */
  private void noteRules(EvalReport report, DetectionPolicy policy) {
    for (ScenarioScore s : report.scenarios()) {
      DetectionPolicy.Rule r = policy.ruleFor(s.service());
      if (r != null) {
        err().println("eval: " + s.id() + " (" + s.service() + ") is covered by " + policy.describe(r));
      }
    }
  }

  private java.io.PrintWriter err() {
    return spec.commandLine().getErr();
  }
}
