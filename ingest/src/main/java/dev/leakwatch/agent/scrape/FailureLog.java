package dev.leakwatch.agent.scrape;

import dev.leakwatch.agent.config.Durations;
import dev.leakwatch.agent.model.ProfileKind;
import dev.leakwatch.agent.model.Target;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * <p>A flapping target (an intermittent network, a process that restarts in a loop) starts a new
 * run of failures every other round. Its failures are logged again only when they differ from the
 * last ones logged or that line is {@link #QUIET} old: between those they are counted in the
 * summary like any repeat, and their recoveries are not logged either (a line per failure and one
 * per recovery was, for 10,000 targets flapping at a 30 s interval, 600 lines a second).
 *
 * <p>Remembers each profile's last logged reason. Not thread-safe: used under its loop's monitor.
 */
final class FailureLog {
  private static final Logger LOG = LoggerFactory.getLogger(TargetLoop.class);

  private final Target target;
  private final ScrapeContext ctx;
  /** How long a logged failure keeps the same failures coming back from being logged again. */
  static final Duration QUIET = Duration.ofMinutes(30);

  private final Map<ProfileKind, ScrapeFailure.Reason> failing = new EnumMap<>(ProfileKind.class);
  /** The failures of the last failed-round line, and when it was logged; null before the first. */
  private Map<ProfileKind, ScrapeFailure.Reason> roundLogged;
  private Instant roundLoggedAt;
  /** The current run of failed rounds began within {@link #QUIET} of the same failures: not logged. */
  private boolean quietRun;
  /** When each profile's failure (others succeeding) was last logged, with its reason. */
  private final Map<ProfileKind, Logged> aloneLogged = new EnumMap<>(ProfileKind.class);
  /** The profiles whose current failure was logged on its own line, so their recovery is too. */
  private final Set<ProfileKind> aloneLoud = EnumSet.noneOf(ProfileKind.class);

  private record Logged(ScrapeFailure.Reason reason, Instant at) {}

  FailureLog(Target target, ScrapeContext ctx) {
    this.target = target;
    this.ctx = ctx;
  }

  /**
   * Logs a finished round.
   *
   * @param roundFailed every profile asked for that the target serves failed
   * @param consecutiveFailures failed rounds in a row, this one included
   * @param ended the failed rounds in a row this successful round ended; 0 when it failed or
   *     followed a success
   * @param failures the counted failures by profile (none for an optional profile not served)
   * @param skipped the profiles the round did not ask for (target unresponsive, or shutting down)
   * @param delay the wait before the next round
   */
  void report(
      boolean roundFailed, int consecutiveFailures, int ended,
      Map<ProfileKind, ScrapeFailure> failures, List<ProfileKind> skipped, Duration delay) {
    Instant now = ctx.clock().instant();
    Map<ProfileKind, ScrapeFailure.Reason> reasons = new EnumMap<>(ProfileKind.class);
    failures.forEach((kind, f) -> reasons.put(kind, f.reason()));
    // a failed round that repeats the last one logged (same profiles, same reasons) is only counted
    // towards the periodic summary: a partition is otherwise a line per target and round
    boolean repeated = roundFailed && consecutiveFailures > 1
        && failures.entrySet().stream().allMatch(e -> failing.get(e.getKey()) == e.getValue().reason());
    if (roundFailed && consecutiveFailures == 1) {
      quietRun = reasons.equals(roundLogged) && recent(roundLoggedAt, now);
    }
    if (roundFailed && (repeated || consecutiveFailures == 1 && quietRun)) {
      ctx.failedRounds().repeated(now, target.id(), failures.values());
    } else if (roundFailed) {
      quietRun = false;
      roundLogged = reasons;
      roundLoggedAt = now;
      LOG.warn(
          "target {} ({}) failed, round {} in a row: {}{}; next attempt in {}",
          target.id(), target.pprofBase(), consecutiveFailures, summary(failures),
          skipped.isEmpty()
              ? ""
              : "; not asked for "
                  + skipped.stream().map(ProfileKind::endpoint).collect(Collectors.joining(", ")),
          Durations.format(delay));
    } else if (ended > 0 && !quietRun) {
      LOG.info(
          "target {} recovered after {} failed rounds{}", target.id(), ended,
          failures.isEmpty() ? "" : "; still failing: " + summary(failures));
      aloneLoud.addAll(failures.keySet()); // so their recovery is logged too
    }
    if (!roundFailed) {
      quietRun = false;
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
        if (roundFailed) {
          aloneLoud.remove(kind); // the round's line tells it, and the round's recovery will
        } else if (before == null && sameAsLogged(kind, f.reason(), now)) {
          aloneLoud.remove(kind); // flapping: as logged less than QUIET ago
          ctx.failedRounds().repeated(now, target.id(), List.of(f));
        } else {
          aloneLogged.put(kind, new Logged(f.reason(), now));
          aloneLoud.add(kind);
          LOG.warn(
              "target {}: {} failing: {}", target.id(), target.profileUri(kind), f.getMessage());
        }
      } else if (nowFailing && !roundFailed && !aloneLoud.contains(kind)) {
        ctx.failedRounds().repeated(now, target.id(), List.of(f)); // a quiet failure, again
      } else if (!nowFailing && before != null) {
        failing.remove(kind);
        if (aloneLoud.remove(kind)) {
          LOG.info("target {}: {} recovered", target.id(), kind.endpoint());
        }
      }
    }
  }

  private boolean sameAsLogged(ProfileKind kind, ScrapeFailure.Reason reason, Instant now) {
    Logged last = aloneLogged.get(kind);
    return last != null && last.reason() == reason && recent(last.at(), now);
  }

  private static boolean recent(Instant loggedAt, Instant now) {
    return loggedAt != null && Duration.between(loggedAt, now).compareTo(QUIET) < 0;
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
