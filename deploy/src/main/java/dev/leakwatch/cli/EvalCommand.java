package dev.leakwatch.cli;

import dev.leakwatch.processor.ConfigError;
import dev.leakwatch.processor.ProcessorConfig;
import dev.leakwatch.topology.TopologyConfig;
import dev.leakwatch.topology.eval.EvalReport;
import dev.leakwatch.topology.eval.Evaluation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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
      System.err.println("eval: corpus directory not found: " + corpus);
      return 2;
    }
    TopologyConfig topology;
    try {
      topology = config == null ? TopologyConfig.defaults() : ProcessorConfig.load(config).topology();
    } catch (ConfigError e) {
      System.err.println("eval: bad configuration " + config + ": " + e.getMessage());
      return 2;
    }
    Path state = Files.createTempDirectory("leakwatch-eval");
    EvalReport report;
    try {
      report = Evaluation.run(corpus, topology, state, s -> { });
    } catch (IllegalArgumentException e) {
      System.err.println("eval: " + e.getMessage());
      return 2;
    } finally {
      Files.deleteIfExists(state);
    }
    if (json != null) {
      report.writeJson(json);
    }
    report.print(System.out);
    return 0;
  }
}
