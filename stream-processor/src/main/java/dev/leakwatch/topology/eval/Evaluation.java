package dev.leakwatch.topology.eval;

import dev.leakwatch.topology.TopologyConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Replays every scenario of a corpus through the production topology and scores it. */
public final class Evaluation {

  private Evaluation() {}

  /**
   * @param corpus corpus root (scenario directories with manifest.json)
   * @param config topology configuration to evaluate
   * @param stateRoot directory for the replays' temporary state
   * @param progress told of each scenario's score as soon as it is known
   */
  public static EvalReport run(Path corpus, TopologyConfig config, Path stateRoot, Consumer<ScenarioScore> progress) {
    CorpusReplay replay = new CorpusReplay(config, stateRoot);
    List<ScenarioScore> scores = new ArrayList<>();
    for (CorpusScenario s : CorpusReader.read(corpus)) {
      ScenarioScore score = EvalScorer.score(s, replay.replay(s));
      progress.accept(score);
      scores.add(score);
    }
    return new EvalReport(scores);
  }
}
