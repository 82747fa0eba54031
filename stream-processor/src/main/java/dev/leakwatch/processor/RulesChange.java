package dev.leakwatch.processor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leakwatch.detect.DetectionPolicy;
import java.util.List;

/**
 * What an edit of {@code processor.yaml} changes in a running processor, decided from the file alone (no
 * clock, no side effect; {@link RulesWatch} acts on it).
 *
 * <p>The edited file is first validated exactly as at start: any error the start-up reader raises refuses
 * the whole edit, with the same message. A valid edit is split: its judging settings ({@link
 * YamlTree#JUDGING_KEYS}) are read over the settings the processor started with, giving the policy to put
 * in force (null when it equals the running one); every other key that differs from the file the processor
 * started with is named in {@link #restartKeys}, since it takes effect on restart only. The judging part
 * is still refused if it is invalid over the running settings (say {@code minCaptures} raised above the
 * running {@code windowCaptures} in the same edit that raises {@code windowCaptures}).
 *
 * @param policy the policy to put in force; null when nothing judging changed or the edit is refused
 * @param restartKeys the changed keys that take effect on restart only, sorted (empty when the file as a
 *     whole is refused)
 * @param refusal why the edit changes nothing, as the start-up reader says it; null when valid
 */
record RulesChange(DetectionPolicy policy, List<String> restartKeys, String refusal) {

  RulesChange {
    restartKeys = List.copyOf(restartKeys);
  }

  /** A change that changes nothing: the file could not be read or is not valid. */
  static RulesChange refused(String why) {
    return new RulesChange(null, List.of(), why);
  }

  /**
   * @param started the tree of the file the processor started with
   * @param running the policy in force now
   * @param text the file's text now
   */
  static RulesChange of(JsonNode started, DetectionPolicy running, String text) {
    JsonNode edited;
    try {
      edited = YamlTree.read(text);
      ProcessorConfig.parse(edited, text, unknownKey -> { });
    } catch (ConfigError e) {
      return refused(e.getMessage());
    }
    List<String> restart = YamlTree.changedOutsideJudging(started, edited);
    DetectionPolicy next;
    try {
      next = ProcessorConfig.parse(YamlTree.withJudgingOf(started, edited), text, unknownKey -> { })
          .topology().detectionPolicy();
    } catch (ConfigError e) {
      return new RulesChange(null, restart, e.getMessage() + " (the detection rules are checked against the"
          + " settings the processor runs with until it restarts)");
    }
    return new RulesChange(next.equals(running) ? null : next, restart, null);
  }
}
