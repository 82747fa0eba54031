package dev.leakwatch.topology.eval;

import java.util.List;

/**
 * How the topology did on one scenario.
 *
 * @param id scenario id
 * @param service service name
 * @param leak whether the scenario is labelled a leak
 * @param leakKind the labelled kind ({@code heap}, {@code goroutine}, {@code both}, {@code none})
 * @param profiles profiles fed
 * @param deadLetters profiles the topology dead-lettered (expected 0 on a real corpus)
 * @param detected leak scenarios: an OPEN of the leak's kind (either kind for {@code both})
 * @param siteCorrect leak scenarios: such an OPEN blames a {@code leak_site_functions} function or
 *     its stack contains one
 * @param delaySeconds leak scenarios: first such OPEN minus the earliest leak start, seconds; null
 *     when not detected or no leak start is recorded
 * @param falsePositives distinct suspects on a not_leak service or blaming a {@code watch_functions}
 *     function
 * @param events every suspect event emitted, in order
 */
public record ScenarioScore(
    String id,
    String service,
    boolean leak,
    String leakKind,
    int profiles,
    int deadLetters,
    boolean detected,
    boolean siteCorrect,
    Double delaySeconds,
    int falsePositives,
    List<SuspectRecord> events) {

  /**
   * One emitted suspect event, as {@code --json} reports it.
   *
   * @param suspectId stable suspect id
   * @param status OPEN, UPDATED or RESOLVED
   * @param kind HEAP or GOROUTINE
   * @param function blamed frame's function
   * @param file blamed frame's file
   * @param line blamed frame's line
   * @param stack function names, leaf first
   * @param instances instances listed by the event
   * @param eventTimeMs the event's {@code detectedAt}, ms since the epoch (capture time)
   * @param relatedSuspects ids of the suspects the event names as probably the same bug
   *     (docs/DETECTION.md, "Related suspects")
   */
  public record SuspectRecord(String suspectId, String status, String kind, String function, String file,
      long line, List<String> stack, List<String> instances, long eventTimeMs, List<String> relatedSuspects) {}
}
