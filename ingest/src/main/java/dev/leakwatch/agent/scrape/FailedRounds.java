package dev.leakwatch.agent.scrape;

import dev.leakwatch.agent.config.Durations;
import dev.leakwatch.agent.model.TargetId;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the agent's log bounded when many targets fail together (a network partition, an agent cut
 * off from a zone): a target's first failed round, and a failed round whose reasons differ from its
 * previous one, are logged on their own line by {@link TargetLoop}; the failed rounds that repeat
 * what was logged are only counted here, and logged as one summary line at most every
 * {@link #EVERY} (shared by every target of the agent). A line per target and round was 33 lines a
 * second for 10,000 targets down at the 5-minute backoff cap. Each failed scrape is still counted in
 * {@code leakwatch_agent_scrape_failures_total} and shown on {@code /targets}.
 */
final class FailedRounds {
  private static final Logger LOG = LoggerFactory.getLogger(FailedRounds.class);
  static final Duration EVERY = Duration.ofMinutes(1);

  private final Map<String, Long> byReason = new TreeMap<>();
  private final Set<TargetId> targets = new HashSet<>();
  private long rounds;
  /** When the first round counted since the last summary failed; null when none has. */
  private Instant since;

  /**
   * Counts a failed round that repeats its target's previous one; logs the summary when the
   * first round counted is {@link #EVERY} old or older. The summary waits for a repeated round
   * after that time: with none, there is nothing new to say.
   */
  synchronized void repeated(Instant now, TargetId target, Collection<ScrapeFailure> failures) {
    if (since == null) {
      since = now;
    }
    rounds++;
    targets.add(target);
    failures.forEach(f -> byReason.merge(f.reason().tag(), 1L, Long::sum));
    Duration span = Duration.between(since, now);
    if (span.compareTo(EVERY) >= 0) {
      LOG.warn(
          "{} failed rounds of {} targets in the last {} repeated each target's last logged failure"
              + " (not logged one by one; /targets and leakwatch_agent_scrape_failures_total have"
              + " each); failed scrapes by reason: {}",
          rounds, targets.size(), Durations.format(span),
          byReason.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
              .collect(Collectors.joining(", ")));
      byReason.clear();
      targets.clear();
      rounds = 0;
      since = null;
    }
  }
}
