package dev.leakwatch.agent.scrape;

import dev.leakwatch.agent.config.Durations;
import dev.leakwatch.agent.model.ProfileKind;
import dev.leakwatch.agent.model.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@link TargetLoop}'s log says of its target's failures, round after round, kept to what
 * an operator needs during a partition of thousands of targets: a failed round is logged with
 * its wait when it is the first in a row or its reasons changed, and a repeat only goes to the
 * agent-wide summary ({@link FailedRounds}); a profile failing while others succeed is logged
 * when it starts failing and when it recovers, not at every round. Logged under {@link
 * TargetLoop}'s name, where these lines always were.
 *
 * <p>Remembers each profile's last logged reason. Not thread-safe: used under its loop's monitor.
 */
final class FailureLog {
  private static final Logger LOG = LoggerFactory.getLogger(TargetLoop.class);

  private final Target target;
  private final ScrapeContext ctx;
  private final Map<ProfileKind, ScrapeFailure.Reason> failing = new EnumMap<>(ProfileKind.class);

  FailureLog(Target target, ScrapeContext ctx) {
    this.target = target;
    this.ctx = ctx;
  }

  /**
   * Logs a finished round.
   *
   * @param roundFailed every profile asked for that the target serves failed
   * @param consecutiveFailures failed rounds in a row, this one included
   * @param failures the counted failures by profile (none for an optional profile not served)
   * @param skipped the profiles the round did not ask for (target unresponsive, or shutting down)
   * @param delay the wait before the next round
   */
  void report(
      boolean roundFailed, int consecutiveFailures, Map<ProfileKind, ScrapeFailure> failures,
      List<ProfileKind> skipped, Duration delay) {
    // a failed round that repeats the last one logged (same profiles, same reasons) is only counted
    // towards the periodic summary: a partition is otherwise a line per target and round
    boolean repeated = roundFailed && consecutiveFailures > 1
        && failures.entrySet().stream().allMatch(e -> failing.get(e.getKey()) == e.getValue().reason());
    if (repeated) {
      ctx.failedRounds().repeated(ctx.clock().instant(), target.id(), failures.values());
    } else if (roundFailed) {
      LOG.warn(
          "target {} ({}) failed, round {} in a row: {}{}; next attempt in {}",
          target.id(), target.pprofBase(), consecutiveFailures, summary(failures),
          skipped.isEmpty()
              ? ""
              : "; not asked for "
                  + skipped.stream().map(ProfileKind::endpoint).collect(Collectors.joining(", ")),
          Durations.format(delay));
    }
    for (ProfileKind kind : target.profiles()) {
      if (skipped.contains(kind)) {
        continue; // not asked for: neither failing nor recovered
      }
      ScrapeFailure f = failures.get(kind);
      boolean nowFailing = f != null; // failures holds no optional profile the target does not serve
      ScrapeFailure.Reason before = failing.get(kind);
      if (nowFailing && before != f.reason()) {
        failing.put(kind, f.reason());
        if (!roundFailed) {
          LOG.warn(
              "target {}: {} failing: {}", target.id(), target.profileUri(kind), f.getMessage());
        }
      } else if (!nowFailing && before != null) {
        failing.remove(kind);
        LOG.info("target {}: {} recovered", target.id(), kind.endpoint());
      }
    }
  }

  /** Failures grouped by message: {@code heap, goroutine: cannot connect: ...}. */
  private static String summary(Map<ProfileKind, ScrapeFailure> failures) {
    Map<String, List<String>> byMessage = new LinkedHashMap<>();
    failures.forEach(
        (kind, f) ->
            byMessage.computeIfAbsent(f.getMessage(), m -> new ArrayList<>()).add(kind.endpoint()));
    return byMessage.entrySet().stream()
        .map(e -> String.join(", ", e.getValue()) + ": " + e.getKey())
        .collect(Collectors.joining("; "));
  }
}
